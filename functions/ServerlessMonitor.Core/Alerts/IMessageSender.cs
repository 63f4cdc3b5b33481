namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// How the domain sends a message: one call with an idempotency key that names the message
/// (e.g. <c>confirmation:&lt;id&gt;</c>, <c>incident:&lt;id&gt;:&lt;destination&gt;:&lt;sequence&gt;</c>),
/// so a repeated call for the same message is the same send. <see cref="DeliverySender"/> stores
/// each message before it tries and retries it later when that helps.
/// </summary>
public interface IMessageSender
{
    /// <summary>Whether messages of this kind can go anywhere here: callers refuse before storing anything when not.</summary>
    bool CanSend(ChannelKind channel);

    /// <summary>
    /// Sends, or says how the delivery with this key stands: <see cref="DeliveryOutcome.Sent"/>,
    /// <see cref="DeliveryOutcome.Failed"/> (ended; or, with <see cref="DeliveryOutcome.Failed.OverQuota"/>,
    /// a confirmation refused for quota before anything was stored), or <see cref="DeliveryOutcome.Pending"/>
    /// (stored, and retried later or being sent by another caller). Never a silent drop.
    /// </summary>
    Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>As <see cref="SendAsync(OutgoingMessage, string, CancellationToken)"/>, making only the tries <paramref name="tryNow"/> allows before answering.</summary>
    Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, TryNow tryNow, CancellationToken cancellationToken);

    /// <summary>
    /// How long until a confirmation of this kind fits the hourly sending budget; null when it fits
    /// now. Asked before a request stores anything, so a refusal (429) leaves nothing behind.
    /// </summary>
    Task<TimeSpan?> ConfirmationWaitAsync(ChannelKind channel, CancellationToken cancellationToken);
}
