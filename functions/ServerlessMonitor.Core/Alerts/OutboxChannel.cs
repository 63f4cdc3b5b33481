namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// The outbox as a transport: email and SMS in the local runtime without ACS. Nothing leaves the
/// machine. An append cannot half-succeed in a way a retry would duplicate, so a failure is safe
/// to retry and no repeatability window applies.
/// </summary>
public sealed class OutboxChannel(Outbox outbox) : IMessageChannel
{
    public DeliveryTransport Transport => DeliveryTransport.Outbox;

    public TimeSpan? RepeatabilityWindow => null;

    public async Task<DeliveryOutcome> DeliverAsync(OutgoingMessage message, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        try
        {
            await outbox.AppendAsync(message, cancellationToken).ConfigureAwait(false);
            return new DeliveryOutcome.Sent(attempt.RequestId.ToString());
        }
        catch (IOException e)
        {
            return new DeliveryOutcome.Failed(RetryKind.Safe, $"outbox: {e.Message}");
        }
    }
}
