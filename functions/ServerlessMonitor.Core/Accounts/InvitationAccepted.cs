namespace ServerlessMonitor.Core.Accounts;

/// <summary>The invited address's account accepted: it receives the monitor's alerts from now on.</summary>
public sealed record InvitationAccepted(string MonitorId) : Confirmed;
