using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.TestFunctions;

namespace ServerlessMonitor.Tests.Integration.Local;

/// <summary>Orchestrations on the real Durable Task engine (DTFx + Azure Storage provider) over Azurite.</summary>
public sealed class DurableEngineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_orchestration_with_an_activity_a_timer_a_retried_activity_and_an_event_runs_to_completion()
    {
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options("durablerun"));
        var client = runtime.Durable.Client;
        var id = $"flow-{Guid.NewGuid():N}";
        await client.ScheduleNewOrchestrationInstanceAsync(SampleFunctions.Flow, new SampleFunctions.FlowInput("ada", 300, $"{id}-2"), new StartOrchestrationOptions(id));

        await WaitForStatusAsync(client, id, "\"waiting\"");
        await client.RaiseEventAsync(id, "go", "go!");
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(Patience).Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal($"hello ada; {id}-2 ok after 3; go!", done.ReadOutputAs<string>());
        Assert.Equal(3, SampleFunctions.Attempts[$"{id}-2"]);
    }

    [Fact]
    public async Task An_activity_that_keeps_failing_reaches_the_orchestrator_with_its_failure_details()
    {
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options("durablefail"));
        var client = runtime.Durable.Client;
        var id = $"flow-{Guid.NewGuid():N}";
        await client.ScheduleNewOrchestrationInstanceAsync(SampleFunctions.Flow, new SampleFunctions.FlowInput("bob", 0, $"{id}-9"), new StartOrchestrationOptions(id));

        await WaitForStatusAsync(client, id, "\"waiting\"");
        await client.RaiseEventAsync(id, "go", "ok");
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(Patience).Token);

        Assert.Equal($"hello bob; failed: System.InvalidOperationException: {id}-9 try 3 fails; ok", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_second_start_of_a_running_instance_id_is_refused()
    {
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options("durabledup"));
        var client = runtime.Durable.Client;
        var id = $"flow-{Guid.NewGuid():N}";
        await client.ScheduleNewOrchestrationInstanceAsync(SampleFunctions.Flow, new SampleFunctions.FlowInput("c", 0, $"{id}-0"), new StartOrchestrationOptions(id));
        await WaitForStatusAsync(client, id, "\"waiting\"");

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            client.ScheduleNewOrchestrationInstanceAsync(SampleFunctions.Flow, new SampleFunctions.FlowInput("d", 0, $"{id}-0"), new StartOrchestrationOptions(id)));
        await client.RaiseEventAsync(id, "go", "x");
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(Patience).Token);
        Assert.StartsWith("hello c;", done.ReadOutputAs<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_orchestration_survives_a_restart_of_the_runtime()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sm-tests", $"restart-{Guid.NewGuid():N}");
        var options = TestRuntime.Options("durablerestart", new() { ["SM_DATA_DIR"] = dataDir }) with { InMemoryStorage = false };
        var id = $"flow-{Guid.NewGuid():N}";
        try
        {
            await using (var first = await LocalRuntime.StartAsync(options))
            {
                await first.Durable.Client.ScheduleNewOrchestrationInstanceAsync(SampleFunctions.Flow, new SampleFunctions.FlowInput("eve", 0, $"{id}-0"), new StartOrchestrationOptions(id));
                await WaitForStatusAsync(first.Durable.Client, id, "\"waiting\"");
            }

            await using var second = await LocalRuntime.StartAsync(options);
            var resumed = await second.Durable.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
            Assert.Equal(OrchestrationRuntimeStatus.Running, resumed?.RuntimeStatus);
            await second.Durable.Client.RaiseEventAsync(id, "go", "after restart");
            var done = await second.Durable.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(Patience).Token);
            Assert.Equal($"hello eve; {id}-0 ok after 1; after restart", done.ReadOutputAs<string>());
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    public async Task Events_raised_while_activities_run_and_across_continue_as_new_are_each_taken_once_in_order(int tickMilliseconds)
    {
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options("durableinbox"));
        var client = runtime.Durable.Client;
        var id = $"inbox-{Guid.NewGuid():N}";
        await client.ScheduleNewOrchestrationInstanceAsync(SampleFunctions.Inbox, new SampleFunctions.InboxInput(8, 3, tickMilliseconds, []), new StartOrchestrationOptions(id));

        Task Raise(string name) => client.RaiseEventAsync(id, "news", new SampleFunctions.InboxNews(name));
        void Open(string name) => SampleFunctions.Gates.GetOrAdd($"{id}:{name}", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        // b and c arrive while the activity for a is still running.
        await Raise("a");
        await WaitForStatusAsync(client, id, "\"a\"");
        await Raise("b");
        await Raise("c");
        Open("a");
        await WaitForStatusAsync(client, id, "\"a,b\"");
        Open("b");
        await WaitForStatusAsync(client, id, "\"a,b,c\"");

        // A burst while c is held; the orchestration continues as new every three turns meanwhile.
        foreach (var name in new[] { "d", "e", "f", "g", "h" })
        {
            await Raise(name);
        }

        var order = new[] { "a", "b", "c", "d", "e", "f", "g", "h" };
        for (var i = 2; i < order.Length; i++)
        {
            Open(order[i]);
            if (i + 1 < order.Length)
            {
                await WaitForStatusAsync(client, id, $"\"{string.Join(",", order[..(i + 2)])}\"");
            }
        }

        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(Patience).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(string.Join(",", order), done.ReadOutputAs<string>());
    }

    private static async Task WaitForStatusAsync(DurableTaskClient client, string id, string status)
    {
        string? last = null;
        try
        {
            await Eventually.True(
                async () =>
                {
                    var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
                    last = $"{instance?.SerializedCustomStatus} ({instance?.RuntimeStatus} {instance?.FailureDetails?.ErrorMessage} input {instance?.SerializedInput} output {instance?.SerializedOutput} {instance?.FailureDetails})";
                    return instance?.SerializedCustomStatus == status;
                },
                Patience,
                $"{id} to report {status}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last status {last}", e);
        }
    }
}
