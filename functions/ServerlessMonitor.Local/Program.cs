using System.Runtime.InteropServices;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Local;

// `dotnet run --project functions/ServerlessMonitor.Local`: the whole app on this machine.
// Ctrl-C (or SIGTERM) stops everything in order, Azurite last, within 10 seconds.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

LocalRuntime runtime;
try
{
    runtime = await LocalRuntime.StartAsync(new LocalRuntimeOptions(), stop.Token);
}
catch (SettingsException e)
{
    Console.Error.WriteLine($"setting error: {e.Message}");
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

Console.WriteLine("Stopping…");
var stopped = runtime.DisposeAsync().AsTask();
if (await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(10))) != stopped)
{
    Console.Error.WriteLine("did not stop within 10 s; exiting anyway");
    return 1;
}

Console.WriteLine("Stopped.");
return 0;
