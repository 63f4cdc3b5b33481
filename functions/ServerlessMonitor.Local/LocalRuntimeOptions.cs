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
    /// Registrations made after the app's own in every region's service graph: an embedder's
    /// services the app's graph leaves to its host (e.g. one whose store is not part of it yet).
    /// </summary>
    public Action<IServiceCollection>? Services { get; init; }
}
