namespace ServerlessMonitor.Core.Alerts;

/// <summary>A message on its way out. Every transport carries the same shape, so the sender treats them alike.</summary>
/// <param name="To">An email address, an E.164 phone number, or a webhook URL.</param>
/// <param name="Text">Plain text: the email's text part, the SMS, the webhook's text.</param>
public sealed record OutgoingMessage(ChannelKind Channel, string To, string Text)
{
    /// <summary>The email subject; webhooks get it as a field.</summary>
    public string? Subject { get; init; }

    /// <summary>The email's HTML part, when there is one.</summary>
    public string? Html { get; init; }
}
