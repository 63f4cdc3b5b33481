using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.TestFunctions;

namespace ServerlessMonitor.Tests;

/// <summary>
/// `dotnet ServerlessMonitor.Tests.dll local-runtime`: the local runtime hosting the app's
/// functions and the tests' own, as a process a test can kill. (The test runner loads this
/// assembly as a library and never calls Main.)
/// </summary>
public static class TestHostProgram
{
    public static Task<int> Main(string[] args) =>
        args is ["local-runtime"]
            ? LocalRuntimeHost.RunAsync(new LocalRuntimeOptions { FunctionAssemblies = [typeof(Functions.Health.HealthFunction).Assembly, typeof(SampleFunctions).Assembly] })
            : Task.FromResult(1);
}
