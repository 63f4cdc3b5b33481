namespace ServerlessMonitor.Core.Alerts;

/// <summary>Where a stored delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>A caller is trying now; it owns the row until its lease ends.</summary>
    Sending,

    /// <summary>A try failed in a way worth repeating; the next is planned on the delivery-retries queue.</summary>
    Retrying,

    Sent,

    Failed,
}
