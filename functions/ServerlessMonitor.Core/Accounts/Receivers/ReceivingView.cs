using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Core.Accounts.Receivers;

/// <summary>An invitation as its invitee sees it: whose monitor, the answer, and the invitee's own path.</summary>
/// <param name="Escalation">The invitee's path over its own channels; null: all its verified channels at once.</param>
/// <param name="RepeatMinutes">Minutes between repeated alerts to the invitee; null: the monitor's.</param>
public sealed record ReceivingView(
    string MonitorId,
    string MonitorName,
    string OwnerEmail,
    ReceiverStatus Status,
    IReadOnlyList<EscalationStep>? Escalation,
    int? RepeatMinutes,
    DateTimeOffset InvitedAt,
    DateTimeOffset? RespondedAt);
