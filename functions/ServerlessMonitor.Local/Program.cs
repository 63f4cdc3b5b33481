using ServerlessMonitor.Local;

// `dotnet run --project functions/ServerlessMonitor.Local`: the whole app on this machine.
return await LocalRuntimeHost.RunAsync(new LocalRuntimeOptions());
