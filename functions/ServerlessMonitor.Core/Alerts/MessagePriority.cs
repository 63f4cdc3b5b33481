namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// How much a message matters when sending quota is short: alerts are what the service exists
/// for, so they are never held back for confirmations (sign-up, recovery and channel links,
/// invitations), which may use only a share of the quota.
/// </summary>
public enum MessagePriority
{
    /// <summary>Confirmations, invitations, recovery links: may be refused when their share of the quota is used up.</summary>
    Confirmation,

    /// <summary>Failure and recovery notices: always sent, whatever confirmations have used.</summary>
    Alert,
}
