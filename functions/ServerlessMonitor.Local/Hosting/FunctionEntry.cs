using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessMonitor.Local.Hosting;

/// <summary>One function as its attributes declare it: what the Functions host would index.</summary>
public sealed record FunctionEntry(string Name, FunctionKind Kind, MethodInfo Method, ParameterInfo Trigger)
{
    public HttpTriggerAttribute? Http => Trigger.GetCustomAttribute<HttpTriggerAttribute>();

    /// <summary>The route below the prefix, as written (Azure's default is the function name).</summary>
    public string? Route => Kind == FunctionKind.Http ? Http!.Route ?? Name : null;

    /// <summary>Upper-case methods; null on the attribute means every method.</summary>
    public IReadOnlyList<string> Methods => Kind == FunctionKind.Http
        ? (Http!.Methods ?? ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).Select(m => m.ToUpperInvariant()).ToArray()
        : [];

    public string? Schedule => Trigger.GetCustomAttribute<TimerTriggerAttribute>()?.Schedule;

    /// <summary>The queue name as written; %SETTING% parts are expanded per region.</summary>
    public string? QueueName => Trigger.GetCustomAttribute<QueueTriggerAttribute>()?.QueueName;
}
