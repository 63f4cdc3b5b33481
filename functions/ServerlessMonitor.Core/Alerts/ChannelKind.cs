namespace ServerlessMonitor.Core.Alerts;

/// <summary>The kinds of channel a person can add: where an alert goes.</summary>
public enum ChannelKind
{
    Email,
    Sms,
    Webhook,
}
