using System.Diagnostics;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>Runs the built `sm` command as a person would, and collects its exit code and output.</summary>
internal static class CliProcess
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    /// <summary>sm.dll as the Cli project built it (the test project references it, so it is built first).</summary>
    private static readonly Lazy<string> Dll = new(() =>
    {
        var here = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ServerlessMonitor.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root!.FullName, "functions", "ServerlessMonitor.Cli", "bin", configuration, "net10.0", "sm.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the Cli project first: {dll}", dll);
    });

    public static async Task<Run> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll.Value);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Run(process.ExitCode, await stdout, await stderr);
    }
}
