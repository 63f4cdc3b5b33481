namespace ServerlessMonitor.Core.Alerts;

/// <summary>Where a channel's messages really go; stored with each delivery so an operator can tell.</summary>
public enum DeliveryTransport
{
    Acs,
    Webhook,
    Outbox,
}
