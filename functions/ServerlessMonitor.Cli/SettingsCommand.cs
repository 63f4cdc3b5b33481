using System.CommandLine;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Cli;

/// <summary>
/// `sm settings [--write-readme]`: prints the table of every setting (generated from
/// SettingCatalog), or rewrites README.md's copy of it in the current folder.
/// </summary>
internal static class SettingsCommand
{
    public static Command Create()
    {
        var write = new Option<bool>("--write-readme") { Description = "rewrite the table between the settings markers of ./README.md" };
        var command = new Command("settings", "The settings table (Markdown), generated from the declaration in Core.") { write };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            if (!parsed.GetValue(write))
            {
                await Console.Out.WriteLineAsync(SettingsTable.Render());
                return ExitCodes.Passed;
            }

            const string readme = "README.md";
            if (!File.Exists(readme))
            {
                await Console.Error.WriteLineAsync("settings: no README.md in the current folder (run it from the repository root)");
                return ExitCodes.Usage;
            }

            var text = await File.ReadAllTextAsync(readme, cancellationToken);
            try
            {
                await File.WriteAllTextAsync(readme, SettingsTable.ApplyTo(text), cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync($"settings: {e.Message}");
                return ExitCodes.Usage;
            }

            await Console.Out.WriteLineAsync("README.md settings table updated");
            return ExitCodes.Passed;
        });
        return command;
    }
}
