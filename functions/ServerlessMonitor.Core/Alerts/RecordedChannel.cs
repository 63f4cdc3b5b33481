namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// A real transport whose sent messages the local runtime also lists in its outbox: webhooks go
/// to their receivers there too (a receiver on this machine can be tried out), and
/// /api/dev/outbox still shows every message the system sent.
/// </summary>
public sealed class RecordedChannel(IMessageChannel inner, Outbox outbox) : IMessageChannel
{
    public DeliveryTransport Transport => inner.Transport;

    public TimeSpan? RepeatabilityWindow => inner.RepeatabilityWindow;

    public async Task<DeliveryOutcome> DeliverAsync(OutgoingMessage message, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        var outcome = await inner.DeliverAsync(message, attempt, cancellationToken).ConfigureAwait(false);
        if (outcome is DeliveryOutcome.Sent)
        {
            await outbox.AppendAsync(message, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }
}
