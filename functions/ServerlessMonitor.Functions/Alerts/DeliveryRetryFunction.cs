using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Functions.Alerts;

/// <summary>
/// Queue trigger of delivery-retries: carries on a delivery whose retry is due. The queue
/// delivers at least once; the sender's stored status makes a repeat harmless.
/// </summary>
public sealed class DeliveryRetryFunction(DeliverySender sender, ILogger<DeliveryRetryFunction> logger)
{
    [Function("delivery-retry")]
    public async Task Run([QueueTrigger(StorageNames.DeliveryRetries)] string message, CancellationToken cancellationToken)
    {
        if (DeliveryRetryMessage.Parse(message) is not { } deliveryId)
        {
            // Not ours or damaged: throwing would only move it to the poison queue five tries later.
            logger.LogWarning("delivery-retry: dropping a malformed message");
            return;
        }

        if (await sender.RetryAsync(deliveryId, cancellationToken).ConfigureAwait(false) is { } delivery)
        {
            logger.LogInformation("delivery-retry: {DeliveryId} {Status} after {Attempts} tries", delivery.Id, delivery.Status, delivery.Attempts);
        }
    }
}
