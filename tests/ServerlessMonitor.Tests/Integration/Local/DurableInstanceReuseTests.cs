using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.TestFunctions;

namespace ServerlessMonitor.Tests.Integration.Local;

/// <summary>
/// An instance id is used again once its orchestration has finished (durable-engine.test.ts
/// "… and restarts a finished one"): a monitor's incidents all run as incident-&lt;monitorId&gt;, so
/// its second incident starts under the id of its first.
/// </summary>
public sealed class DurableInstanceReuseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_finished_instance_id_starts_again_with_its_new_input()
    {
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options("durablereuse"));
        var client = runtime.Durable.Client;
        var id = $"flow-{Guid.NewGuid():N}";

        Assert.Equal("hello first; x ok after 1; go", await RunToCompletion(client, id, "first"));
        Assert.Equal("hello second; x ok after 1; go", await RunToCompletion(client, id, "second"));
    }

    private static async Task<string?> RunToCompletion(DurableTaskClient client, string id, string name)
    {
        using var patience = new CancellationTokenSource(Patience);
        await client.ScheduleNewOrchestrationInstanceAsync(SampleFunctions.Flow, new SampleFunctions.FlowInput(name, 0, $"{id}-{name}-0"), new StartOrchestrationOptions(id), patience.Token);
        await Eventually.True(
            async () => (await client.GetInstanceAsync(id, getInputsAndOutputs: true, patience.Token)) is { RuntimeStatus: OrchestrationRuntimeStatus.Running } i && i.SerializedCustomStatus == "\"waiting\"" && i.SerializedInput!.Contains(name, StringComparison.Ordinal),
            Patience,
            $"{name} waiting for its event");
        await client.RaiseEventAsync(id, "go", "go", patience.Token);
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, patience.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        return done.ReadOutputAs<string>()?.Replace($"{id}-{name}-0", "x", StringComparison.Ordinal);
    }
}
