using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>An invitation as its invitee sees it, with the invitee's own path.</summary>
/// <param name="Escalation">Your path over your own channels; null: all your verified channels at once.</param>
/// <param name="RepeatMinutes">Minutes between repeated alerts to you; null: the monitor's.</param>
public sealed record ReceivingBody(
    string MonitorId,
    string MonitorName,
    string OwnerEmail,
    ReceiverStatus Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<EscalationStep>? Escalation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? RepeatMinutes,
    DateTimeOffset InvitedAt,
    DateTimeOffset? RespondedAt)
{
    public static ReceivingBody From(ReceivingView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new ReceivingBody(view.MonitorId, view.MonitorName, view.OwnerEmail, view.Status, view.Escalation, view.RepeatMinutes, view.InvitedAt, view.RespondedAt);
    }
}
