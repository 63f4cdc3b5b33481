using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessMonitor.Local;

public sealed record LocalRuntimeOptions
{
    /// <summary>Settings on top of the process environment (which is read unless <see cref="ReadEnvironment"/> is false).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public bool ReadEnvironment { get; init; } = true;

    /// <summary>The assemblies whose functions are hosted: the app's Functions assembly.</summary>
    public IReadOnlyList<Assembly> FunctionAssemblies { get; init; } = [typeof(ServerlessMonitor.Functions.Health.HealthFunction).Assembly];

    /// <summary>Azurite keeps its data in memory only, nothing under the data folder.</summary>
    public bool InMemoryStorage { get; init; }

    public Action<string> Log { get; init; } = Console.WriteLine;

    /// <summary>
    /// Pollers per queue, each taking its own batches as another instance of the app would: what
    /// Azure scales a queue trigger out to, standing in here for the probe shards' fan-out.
    /// </summary>
    public int QueueConsumers { get; init; } = 1;

    /// <summary>
    /// Services added to each simulated region's graph after the app's own, as a host adds its
    /// own to the App's: what the Functions assembly takes from a host (an <c>IVerdictHandoff</c>,
    /// for one) or what replaces a default.
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
