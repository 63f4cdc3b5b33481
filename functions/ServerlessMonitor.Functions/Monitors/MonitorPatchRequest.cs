using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Functions.Monitors;

/// <summary>
/// A change to a monitor: absent fields keep their values; only expect, escalation and regions
/// accept null (back to their defaults). A new type without an expect starts from no checks.
/// Limits as for creating one; paused: true ends an open incident without a recovery notice.
/// </summary>
public sealed record MonitorPatchRequest(
    string? Name,
    ProbeType? Type,
    string? Target,
    int? IntervalMinutes,
    int? TimeoutSeconds,
    ProbeExpect? Expect,
    int? AlertDelayMinutes,
    IReadOnlyList<EscalationStep>? Escalation,
    int? RepeatMinutes,
    int? RecoveryPasses,
    bool? Public,
    IReadOnlyList<string>? Regions,
    bool? Paused);
