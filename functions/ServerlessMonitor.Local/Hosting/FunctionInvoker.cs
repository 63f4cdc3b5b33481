using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessMonitor.Local.Hosting;

/// <summary>
/// Calls a function method as the worker does: a fresh instance of its class from DI per
/// invocation, parameters bound by kind (trigger value, FunctionContext, CancellationToken,
/// [DurableClient], route values by name), and its Task or ValueTask awaited.
/// Awaits keep the caller's context (no ConfigureAwait(false)): an orchestrator function must
/// resume on the Durable Task engine's own scheduler, or the engine sees it unfinished.
/// </summary>
public sealed class FunctionInvoker(DurableTaskClient? durableClient)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="trigger">The trigger's value: HttpRequest, TimerInfo, message text, context or activity input.</param>
    /// <param name="named">Other values bound by parameter name (route values).</param>
    public async Task<object?> InvokeAsync(FunctionEntry entry, IServiceProvider services, object? trigger, IReadOnlyDictionary<string, object?>? named, CancellationToken cancellationToken, Action<FunctionContext>? prepare = null)
    {
        var context = new LocalFunctionContext(entry, services, cancellationToken);
        prepare?.Invoke(context);
        var parameters = entry.Method.GetParameters();
        var args = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            args[i] = Bind(parameters[i], entry, context, trigger, named, cancellationToken);
        }

        var instance = entry.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, entry.Method.DeclaringType!);
        try
        {
            return await Unwrap(entry.Method.Invoke(instance, args));
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable d:
                    await d.DisposeAsync();
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }
    }

    private object? Bind(ParameterInfo parameter, FunctionEntry entry, FunctionContext context, object? trigger, IReadOnlyDictionary<string, object?>? named, CancellationToken cancellationToken)
    {
        if (parameter.Position == entry.Trigger.Position)
        {
            return Convert(trigger, parameter.ParameterType);
        }

        if (parameter.ParameterType == typeof(FunctionContext))
        {
            return context;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return cancellationToken;
        }

        if (parameter.IsDefined(typeof(DurableClientAttribute)))
        {
            return durableClient ?? throw new InvalidOperationException($"{entry.Name} asks for a Durable client, and this runtime has none");
        }

        if (parameter.Name is { } name && named is not null && named.TryGetValue(name, out var value))
        {
            return Convert(value, parameter.ParameterType);
        }

        return parameter.HasDefaultValue
            ? parameter.DefaultValue
            : throw new InvalidOperationException($"{entry.Name}: the local runtime cannot bind parameter {parameter.Name} ({parameter.ParameterType.Name})");
    }

    /// <summary>Strings (queue messages, route values) convert to the parameter's type as the worker's converters do.</summary>
    private static object? Convert(object? value, Type target)
    {
        if (value is null || target.IsInstanceOfType(value))
        {
            return value;
        }

        if (value is string text)
        {
            if (target == typeof(BinaryData))
            {
                return BinaryData.FromString(text);
            }

            if (target == typeof(byte[]))
            {
                return System.Text.Encoding.UTF8.GetBytes(text);
            }

            return JsonSerializer.Deserialize(text, target, Json);
        }

        throw new InvalidOperationException($"cannot bind a {value.GetType().Name} to {target.Name}");
    }

    private static async Task<object?> Unwrap(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                var type = task.GetType();
                return type.IsGenericType && type.GetProperty("Result") is { } result && result.PropertyType.Name != "VoidTaskResult"
                    ? result.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                if (returned is not null && returned.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)t.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
                    return await Unwrap(asTask);
                }

                return returned;
        }
    }
}
