namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// How the domain sends a message: one call with an idempotency key that names the message
/// (e.g. <c>confirmation:&lt;id&gt;</c>), so a repeated call for the same message is the same send.
/// The delivery store with retries will sit behind this port; its callers stay as they are.
/// </summary>
public interface IMessageSender
{
    /// <summary>Whether messages of this kind can go anywhere here: callers refuse before storing anything when not.</summary>
    bool CanSend(ChannelKind channel);

    /// <summary>Sends, or says why it could not (<see cref="DeliveryOutcome.Failed"/>); never a silent drop.</summary>
    Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken);
}
