using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace ServerlessMonitor.Tests.Support;

/// <summary>The real Bicep compiler, from the Azure.Bicep.CommandLine NuGet package.</summary>
public static class Bicep
{
    public static string Executable { get; } = Path.Combine(
        typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPackage").Value!,
        "tools",
        "bicep");

    /// <summary>Compiles a Bicep file to its ARM template.</summary>
    public static JsonObject Build(string file)
    {
        var (code, stdout, stderr) = Run("build", file, "--stdout");
        Assert.True(code == 0, $"bicep build {file} failed:\n{stderr}");
        return JsonNode.Parse(stdout)!.AsObject();
    }

    public static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        // No telemetry, no version check: this machine has no internet.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
