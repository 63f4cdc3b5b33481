using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.TestFunctions;

namespace ServerlessMonitor.Tests.Support;

public static class TestRuntime
{
    /// <summary>Options for an in-process local runtime on its own port, task hub and (unless given) in-memory Azurite.</summary>
    public static LocalRuntimeOptions Options(string taskHub, Dictionary<string, string?>? settings = null, bool withSamples = true) => new()
    {
        ReadEnvironment = false,
        InMemoryStorage = true,
        FunctionAssemblies = withSamples
            ? [typeof(Functions.Health.HealthFunction).Assembly, typeof(SampleFunctions).Assembly]
            : [typeof(Functions.Health.HealthFunction).Assembly],
        Settings = new Dictionary<string, string?>(settings ?? [])
        {
            ["SM_PORT"] = "0",
            ["SM_TASK_HUB"] = taskHub,
            ["SM_DATA_DIR"] = settings?.GetValueOrDefault("SM_DATA_DIR") ?? Path.Combine(Path.GetTempPath(), "sm-tests", taskHub),
        },
        Log = _ => { },
    };
}
