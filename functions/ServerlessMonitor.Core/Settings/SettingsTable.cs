namespace ServerlessMonitor.Core.Settings;

/// <summary>
/// README's settings table, generated from <see cref="SettingCatalog"/> so that it cannot drift:
/// `dotnet run --project functions/ServerlessMonitor.Cli -- settings --write-readme` rewrites it,
/// and a test fails when it is stale.
/// </summary>
public static class SettingsTable
{
    public const string Start = "<!-- settings:start -->";
    public const string End = "<!-- settings:end -->";

    public static string Render()
    {
        var rows = SettingCatalog.All.Select(s =>
            $"| `{s.Name}` | {Where(s.Scope)} | {(s.Default is null ? "—" : $"`{s.Default}`")} | {s.Description.Replace("|", "\\|", StringComparison.Ordinal)} |");
        return string.Join('\n', ["| Setting | Used by | Default | Meaning |", "| --- | --- | --- | --- |", .. rows]);
    }

    /// <summary>The README text with its table between the markers replaced by <see cref="Render"/>.</summary>
    public static string ApplyTo(string readme)
    {
        ArgumentNullException.ThrowIfNull(readme);
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"README.md needs {Start} and {End} around the settings table");
        }

        return $"{readme[..(start + Start.Length)]}\n{Render()}\n{readme[end..]}";
    }

    private static string Where(SettingScope scope) => scope switch
    {
        SettingScope.Both => "both",
        SettingScope.Local => "local runtime",
        _ => "Azure",
    };
}
