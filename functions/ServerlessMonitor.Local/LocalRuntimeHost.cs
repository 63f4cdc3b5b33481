using System.Runtime.InteropServices;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Local;

/// <summary>
/// Runs a local runtime until Ctrl-C (SIGINT) or SIGTERM, then stops everything in order,
/// Azurite last, within 10 seconds. The exit code says how it went.
/// </summary>
public static class LocalRuntimeHost
{
    public static async Task<int> RunAsync(LocalRuntimeOptions options)
    {
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

        LocalRuntime runtime;
        try
        {
            runtime = await LocalRuntime.StartAsync(options, stop.Token);
        }
        catch (SettingsException e)
        {
            await Console.Error.WriteLineAsync($"setting error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        options.Log("Stopping…");
        var stopped = runtime.DisposeAsync().AsTask();
        if (await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(10))) != stopped)
        {
            await Console.Error.WriteLineAsync("did not stop within 10 s; exiting anyway");
            return 1;
        }

        options.Log("Stopped.");
        return 0;
    }
}
