namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// One way out for messages of one kind. The sender owns retries, storage and idempotency keys;
/// a channel makes exactly one try and says how it went. Replacing a transport (the official
/// ACS SDK, say) means one more implementation of this interface.
/// </summary>
public interface IMessageChannel
{
    DeliveryTransport Transport { get; }

    /// <summary>
    /// How long after <see cref="DeliveryAttempt.FirstSentAt"/> the provider still recognises a
    /// repeated request id. An <see cref="RetryKind.Uncertain"/> try is retried only inside it;
    /// null: always (the receiver dedupes).
    /// </summary>
    TimeSpan? RepeatabilityWindow { get; }

    /// <summary>
    /// Makes one try. Provider answers and network failures come back as a
    /// <see cref="DeliveryOutcome"/>. When <paramref name="cancellationToken"/> fires before the
    /// outcome is known it throws <see cref="OperationCanceledException"/>; the request may by then
    /// have reached the provider, so the caller counts that as <see cref="RetryKind.Uncertain"/>.
    /// </summary>
    Task<DeliveryOutcome> DeliverAsync(OutgoingMessage message, DeliveryAttempt attempt, CancellationToken cancellationToken);
}
