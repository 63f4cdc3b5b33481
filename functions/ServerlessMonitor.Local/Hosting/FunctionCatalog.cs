using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessMonitor.Local.Hosting;

/// <summary>
/// Finds functions the way the Worker SDK does: public methods with [Function] whose parameters
/// carry one trigger attribute. No second list to keep in step with the code.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionEntry> Discover(IEnumerable<Assembly> assemblies) =>
        assemblies
            .SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(Describe)
            .OfType<FunctionEntry>()
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToArray();

    private static FunctionEntry? Describe(MethodInfo method)
    {
        var function = method.GetCustomAttribute<FunctionAttribute>();
        if (function is null)
        {
            return null;
        }

        foreach (var parameter in method.GetParameters())
        {
            FunctionKind? kind =
                parameter.IsDefined(typeof(HttpTriggerAttribute)) ? FunctionKind.Http
                : parameter.IsDefined(typeof(TimerTriggerAttribute)) ? FunctionKind.Timer
                : parameter.IsDefined(typeof(QueueTriggerAttribute)) ? FunctionKind.Queue
                : parameter.IsDefined(typeof(OrchestrationTriggerAttribute)) ? FunctionKind.Orchestration
                : parameter.IsDefined(typeof(ActivityTriggerAttribute)) ? FunctionKind.Activity
                : null;
            if (kind is { } k)
            {
                return new FunctionEntry(function.Name, k, method, parameter);
            }
        }

        throw new InvalidOperationException($"function {function.Name} ({method.DeclaringType?.Name}.{method.Name}) has no trigger this runtime knows");
    }
}
