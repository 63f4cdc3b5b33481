namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// One try at carrying a message. The sender keeps <paramref name="RequestId"/> and
/// <paramref name="FirstSentAt"/> the same for every retry of one series, so a provider that
/// did act on an earlier try recognises the repeat and drops it (ACS repeatability).
/// Cancellation travels as the <see cref="CancellationToken"/> of
/// <see cref="IMessageChannel.DeliverAsync"/>, not here: one token, one meaning.
/// </summary>
/// <param name="RequestId">The provider's idempotency handle: ACS Operation-Id and repeatability id.</param>
/// <param name="FirstSentAt">When the first request with this id went out.</param>
public sealed record DeliveryAttempt(Guid RequestId, DateTimeOffset FirstSentAt);
