using Microsoft.DurableTask;
using ServerlessMonitor.Local.Hosting;

namespace ServerlessMonitor.Local.Durable;

/// <summary>An [ActivityTrigger] function as the Durable Task shims see it: its input type is its trigger parameter's.</summary>
internal sealed class FunctionActivity(FunctionEntry entry, FunctionInvoker invoker, IServiceProvider services, CancellationToken stopping) : ITaskActivity
{
    public Type InputType => entry.Trigger.ParameterType;

    public Type OutputType => typeof(object);

    public Task<object?> RunAsync(TaskActivityContext context, object? input) =>
        invoker.InvokeAsync(entry, services, input, null, stopping);
}
