using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// The queue-triggered delivery-retry function in the local runtime, polled as the Functions host
/// would: the path every failed send takes later.
/// </summary>
public sealed class DeliveryRetryFunctionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private LocalRuntime runtime = null!;

    public async Task InitializeAsync() =>
        runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"retries{Guid.NewGuid():N}"[..20], withSamples: false));

    public async Task DisposeAsync() => await runtime.DisposeAsync();

    private IServiceProvider Services => runtime.ServicesOf(runtime.Config.PrimaryRegion);

    [Fact]
    public async Task Finishes_a_delivery_whose_retry_is_due()
    {
        var store = Services.GetRequiredService<DeliveryStore>();
        var key = $"incident-{Guid.NewGuid():N}:owner:1";
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        var message = new OutgoingMessage(ChannelKind.Email, "late@example.com", "Shop is down") { Subject = "Down", Priority = MessagePriority.Alert };
        await store.TryAddAsync(new Delivery(DeliveryIds.For(key), key, message, DeliveryStatus.Retrying, DeliveryTransport.Outbox, 1, DeliveryIds.RequestId(key, 0), past, false, past, past)
        {
            NextAttemptAt = past,
            LastError = "outbox: disk full",
        }, CancellationToken.None);

        await Services.GetRequiredService<DeliveryRetryQueue>().ScheduleAsync(DeliveryIds.For(key), TimeSpan.Zero, CancellationToken.None);

        var done = await Eventually.Get(
            async () => await store.GetAsync(DeliveryIds.For(key), CancellationToken.None) is { Status: DeliveryStatus.Sent } d ? d : null,
            Patience,
            "the retry to deliver");
        Assert.Equal(2, done.Attempts);
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        var outbox = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("dev/outbox"))!.AsArray();
        var entry = Assert.Single(outbox, e => (string?)e!["to"] == "late@example.com");
        Assert.Equal("Shop is down", (string?)entry!["body"]);
    }

    [Fact]
    public async Task Drops_messages_that_are_not_retry_requests_without_failing()
    {
        var clients = Services.GetRequiredService<StorageClients>();
        var queue = clients.Queue(StorageNames.DeliveryRetries);
        await queue.SendMessageAsync("""{"deliveryId":"../../etc"}""");
        await queue.SendMessageAsync("not json");

        // Counted with the invisible ones: a message being retried after a failure is not drained.
        await Eventually.True(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Patience, "the queue to drain");

        QueueClient poison = clients.Queue($"{StorageNames.DeliveryRetries}-poison");
        Assert.False((await poison.ExistsAsync()).Value && (await poison.PeekMessagesAsync()).Value.Length > 0);
    }
}
