using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Local.Hosting;

namespace ServerlessMonitor.Local.Durable;

/// <summary>
/// The real Durable Task engine, as the Functions host runs it by default: DTFx's TaskHubWorker
/// with the Azure Storage provider (here on Azurite). The app's orchestrator and activity
/// functions run through Microsoft.DurableTask.Worker's shims, one fresh shim per work item.
/// No replay engine of our own: histories, timers, events and continue-as-new are DTFx's.
/// </summary>
public sealed class LocalDurableEngine : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TaskHubWorker worker;
    private readonly CancellationTokenSource stopping = new();

    private LocalDurableEngine(TaskHubWorker worker, DurableTaskClient client)
    {
        this.worker = worker;
        Client = client;
    }

    /// <summary>A client on the same task hub, for [DurableClient] parameters.</summary>
    public DurableTaskClient Client { get; }

    public static async Task<LocalDurableEngine> StartAsync(
        string connectionString,
        string taskHub,
        IReadOnlyList<FunctionEntry> functions,
        Func<FunctionInvoker> invoker,
        IServiceProvider services,
        ILoggerFactory loggerFactory)
    {
        var service = Service(connectionString, taskHub, loggerFactory);
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);

        var converter = Converter;
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = converter }, loggerFactory);
        var worker = new TaskHubWorker(service, loggerFactory) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        var engine = new LocalDurableEngine(worker, new LocalDurableClient(service, converter));

        foreach (var f in functions.Where(f => f.Kind == FunctionKind.Orchestration))
        {
            worker.AddTaskOrchestrations(new ShimCreator<TaskOrchestration>(f.Name, () =>
                shims.CreateOrchestration(f.Name, new FunctionOrchestrator(f, invoker(), services, Json))));
        }

        foreach (var f in functions.Where(f => f.Kind == FunctionKind.Activity))
        {
            worker.AddTaskActivities(new ShimCreator<TaskActivity>(f.Name, () =>
                shims.CreateActivity(f.Name, new FunctionActivity(f, invoker(), services, engine.stopping.Token))));
        }

        await worker.StartAsync().ConfigureAwait(false);
        return engine;
    }

    /// <summary>A client on a local task hub, without a worker: for tools and tests that drive a running runtime.</summary>
    public static DurableTaskClient ConnectClient(string connectionString, string taskHub, ILoggerFactory loggerFactory) =>
        new LocalDurableClient(Service(connectionString, taskHub, loggerFactory), Converter);

    private static DataConverter Converter { get; } = new JsonDataConverter(Json);

    private static AzureStorageOrchestrationService Service(string connectionString, string taskHub, ILoggerFactory loggerFactory) =>
        new(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = taskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            LoggerFactory = loggerFactory,

            // Locally a quiet hub should still pick up new work quickly.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),

            // Starting an instance id that is pending or running fails loudly, as in Azure with
            // host.json's overridableExistingInstanceStates: NonRunningStates.
            ThrowExceptionOnInvalidDedupeStatus = true,
        });

    /// <summary>
    /// Stops taking work. Work items in flight are abandoned, not completed: DTFx hands them out
    /// again after a restart, as it does after a crash (activities run at least once).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            // Bounded: with storage gone, DTFx's shutdown would keep retrying it.
            await worker.StopAsync(isForced: true).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        worker.Dispose();
        stopping.Dispose();
        await Client.DisposeAsync().ConfigureAwait(false);
    }
}
