using System.Text.Json;
using Microsoft.DurableTask;
using ServerlessMonitor.Local.Hosting;

namespace ServerlessMonitor.Local.Durable;

/// <summary>An [OrchestrationTrigger] function as the Durable Task shims see it.</summary>
internal sealed class FunctionOrchestrator(FunctionEntry entry, FunctionInvoker invoker, IServiceProvider services, JsonSerializerOptions json) : ITaskOrchestrator
{
    public Type InputType => typeof(JsonElement);

    public Type OutputType => typeof(object);

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
        invoker.InvokeAsync(entry, services, new InputOrchestrationContext(context, input as JsonElement?, json), null, CancellationToken.None);
}
