using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Functions.Monitors;

/// <summary>A monitor as the API shows it, with its owner and the caller's relation to it.</summary>
/// <param name="Escalation">Who is alerted after how long; null: every verified channel of the owner at once.</param>
/// <param name="Regions">The regions that probe it; null: every region.</param>
/// <param name="State">What the verdict step last decided; stays as it was while paused.</param>
/// <param name="Access">The caller's relation to the monitor: owner, receiver or public.</param>
/// <param name="CertificateWarning">The certificate expiring soon that the monitor's destinations were warned about; null when there is none.</param>
public sealed record MonitorBody(
    string Id,
    string Name,
    ProbeType Type,
    string Target,
    int IntervalMinutes,
    int TimeoutSeconds,
    ProbeExpect Expect,
    int AlertDelayMinutes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<EscalationStep>? Escalation,
    int RepeatMinutes,
    int RecoveryPasses,
    bool Public,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<string>? Regions,
    bool Paused,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    MonitorState State,
    string OwnerId,
    AccessLevel Access,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] WarnedCertificateBody? CertificateWarning)
{
    public static MonitorBody From(MonitorRecord monitor, AccessLevel access)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        var d = monitor.Definition;
        return new MonitorBody(
            monitor.Id,
            d.Name,
            d.Type,
            d.Target,
            d.IntervalMinutes,
            d.TimeoutSeconds,
            d.Expect,
            d.AlertDelayMinutes,
            d.Escalation,
            d.RepeatMinutes,
            d.RecoveryPasses,
            d.Public,
            d.Regions,
            d.Paused,
            monitor.CreatedAt,
            monitor.UpdatedAt,
            monitor.State,
            monitor.OwnerId,
            access,
            monitor.Certificate is { } c ? new WarnedCertificateBody(c.DaysLeft, c.ExpiresAt, c.Subject, c.Sha256, c.WarnedAt) : null);
    }
}
