using System.Text.Json;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Queue <c>delivery-retries</c>: one message <c>{"deliveryId": "…"}</c> per planned retry of a
/// delivery, made visible when the retry is due. The queue-triggered function delivery-retry
/// carries on from there, so retries survive restarts and run wherever the host has capacity.
/// </summary>
public sealed class DeliveryRetryQueue(StorageClients clients)
{
    /// <summary>Storage queues hide a message for at most 7 days.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    public async Task ScheduleAsync(string deliveryId, TimeSpan delay, CancellationToken cancellationToken)
    {
        var visibility = delay <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling(Math.Min(delay.TotalSeconds, MaxDelay.TotalSeconds)));
        var text = JsonSerializer.Serialize(new DeliveryRetryMessage(deliveryId), DeliveryRetryMessage.Json);
        await clients.Queue(StorageNames.DeliveryRetries).SendMessageAsync(text, visibility, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
