using System.Text.Json.Nodes;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// A message on its way out. Every transport carries the same shape, so the sender treats them
/// alike. It is stored as it is (the delivery row), so it holds no secret: a webhook's signing
/// secret is looked up through <see cref="Destination"/> when the message is sent.
/// </summary>
/// <param name="To">An email address, an E.164 phone number, or a webhook URL.</param>
/// <param name="Text">Plain text: the email's text part, the SMS, the webhook's text.</param>
public sealed record OutgoingMessage(ChannelKind Channel, string To, string Text)
{
    /// <summary>The email subject; webhooks get it as a field.</summary>
    public string? Subject { get; init; }

    /// <summary>The email's HTML part, when there is one.</summary>
    public string? Html { get; init; }

    /// <summary>
    /// Confirmation unless the caller says Alert: a caller that forgets cannot eat into the
    /// quota alerts keep in reserve.
    /// </summary>
    public MessagePriority Priority { get; init; } = MessagePriority.Confirmation;

    /// <summary>The channel the message is for; webhooks need it (their signing secret is found by it).</summary>
    public MessageDestination? Destination { get; init; }

    /// <summary>
    /// Webhooks: the payload's fields besides <c>subject</c> and <c>text</c>, which are added from
    /// the message (<c>type</c>, <c>incident</c>, <c>monitor</c>, …; docs/WEBHOOKS.md).
    /// </summary>
    public JsonObject? Data { get; init; }
}
