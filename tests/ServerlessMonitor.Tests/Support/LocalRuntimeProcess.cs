using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using ServerlessMonitor.Local.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>The local runtime as a user runs it: its own process, in a folder of its own.</summary>
public sealed partial class LocalRuntimeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalRuntimeProcess(Process process)
    {
        this.process = process;
    }

    public int Id => process.Id;

    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The storage it runs on, from its start-up lines.</summary>
    public string ConnectionString
    {
        get
        {
            var m = PortsLine().Match(Output);
            return AzuriteProcess.ConnectionStringFor(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The Azurite guard's pid, from the runtime's start-up lines.</summary>
    public int AzuritePid { get; private set; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The runtime as `dotnet run --project functions/ServerlessMonitor.Local` starts it.</summary>
    public static Task<LocalRuntimeProcess> StartAsync(string workingDirectory, params (string Name, string Value)[] settings) =>
        StartAsync(workingDirectory, [Repo.PathOf("functions", "ServerlessMonitor.Local", "bin", Repo.Configuration, "net10.0", "ServerlessMonitor.Local.dll")], settings);

    /// <summary>The runtime hosting the tests' own functions too (TestHostProgram).</summary>
    public static Task<LocalRuntimeProcess> StartWithTestFunctionsAsync(string workingDirectory, params (string Name, string Value)[] settings) =>
        StartAsync(workingDirectory, [typeof(LocalRuntimeProcess).Assembly.Location, "local-runtime"], settings);

    private static async Task<LocalRuntimeProcess> StartAsync(string workingDirectory, string[] arguments, (string Name, string Value)[] settings)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SM_PORT"] = "0";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var runtime = new LocalRuntimeProcess(Process.Start(start)!);
        runtime.process.OutputDataReceived += (_, e) => runtime.OnLine(e.Data);
        runtime.process.ErrorDataReceived += (_, e) => runtime.OnLine(e.Data);
        runtime.process.BeginOutputReadLine();
        runtime.process.BeginErrorReadLine();
        var exited = runtime.process.WaitForExitAsync();
        var first = await Task.WhenAny(runtime.listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(120)));
        if (first != runtime.listening.Task)
        {
            runtime.Kill();
            throw new InvalidOperationException($"the local runtime did not start:\n{runtime.Output}");
        }

        runtime.ApiUrl = await runtime.listening.Task;
        return runtime;
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does, and waits for the exit code.</summary>
    public async Task<int?> InterruptAsync(TimeSpan within)
    {
        _ = Kill(process.Id, 2);
        using var cts = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Kill() => process.Kill(entireProcessTree: false);

    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    public static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        if (AzuriteLine().Match(line) is { Success: true } a)
        {
            AzuritePid = int.Parse(a.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (ListeningLine().Match(line) is { Success: true } m)
        {
            listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Azurite \(pid (\d+);")]
    private static partial Regex AzuriteLine();

    [GeneratedRegex(@"blob (\d+), queue (\d+), table (\d+)")]
    private static partial Regex PortsLine();

    [GeneratedRegex(@"Listening on (http://\S+/)")]
    private static partial Regex ListeningLine();
}
