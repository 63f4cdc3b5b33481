using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.TestFunctions;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessMonitor.Tests.Integration.Local;

/// <summary>Timers per simulated region on the scaled minute, and queue triggers with the host's retry and poison semantics.</summary>
public sealed class TriggerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Timers_fire_once_per_region_on_the_scaled_minute_and_not_in_a_region_taken_down()
    {
        var hub = $"ticks{Guid.NewGuid():N}"[..20];
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options(hub, new() { ["SM_REGIONS"] = "north,south", ["SM_MINUTE_SECONDS"] = "0.2" }));
        int Count(string region) => SampleFunctions.Ticks.Count(t => t.Key == hub && t.Region == region);

        await Eventually.True(() => Count("north") >= 3 && Count("south") >= 3, Patience, "three ticks in each region");

        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.PostAsync("dev/regions/south/down", null)).StatusCode);
        var southAfterDown = Count("south");
        var north = Count("north");
        await Eventually.True(() => Count("north") >= north + 5, Patience, "five more ticks in north");
        // At most one run that had already started when the region went down.
        Assert.InRange(Count("south"), southAfterDown, southAfterDown + 1);

        // As in Azure: Last is the previous occurrence, Next the one after this run's.
        var info = SampleFunctions.Ticks.Last(t => t.Key == hub).Info;
        Assert.Equal(TimeSpan.FromSeconds(0.4), info.ScheduleStatus!.Next - info.ScheduleStatus.Last);
    }

    [Fact]
    public async Task A_failing_queue_message_is_retried_and_after_five_tries_moved_to_the_poison_queue()
    {
        var hub = $"queues{Guid.NewGuid():N}"[..20];
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options(hub));
        var clients = runtime.ServicesOf(runtime.Config.PrimaryRegion).GetRequiredService<StorageClients>();
        var queue = clients.Queue(SampleFunctions.JobsQueue);
        await queue.CreateIfNotExistsAsync();
        var id = Guid.NewGuid().ToString("N");

        await queue.SendMessageAsync($"ok-{id}");
        await queue.SendMessageAsync($"fail-{id}-2");
        await queue.SendMessageAsync($"fail-{id}-9");

        await Eventually.True(() => SampleFunctions.Attempts.GetValueOrDefault($"ok-{id}") == 1, Patience, "the good message");
        await Eventually.True(() => SampleFunctions.Attempts.GetValueOrDefault($"fail-{id}-2") == 3, Patience, "two failures then success");
        var poison = clients.Queue($"{SampleFunctions.JobsQueue}-poison");
        var poisoned = await Eventually.Get(
            async () => (await poison.ExistsAsync()).Value ? (await poison.PeekMessagesAsync(32)).Value.FirstOrDefault(m => m.Body.ToString() == $"fail-{id}-9") : null,
            Patience,
            "the poison message");

        Assert.Equal(5, SampleFunctions.Attempts[$"fail-{id}-9"]);
        Assert.Equal($"fail-{id}-9", poisoned.Body.ToString());
    }
}
