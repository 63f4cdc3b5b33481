using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// What the owner configures of a monitor: validated, defaults filled in and the target in its
/// stored spelling (monitor validation makes it).
/// </summary>
/// <param name="Escalation">Who is alerted after how long; null: every verified channel of the owner at once.</param>
/// <param name="Regions">The regions that probe it; null: every region of the deployment.</param>
public sealed record MonitorDefinition(
    string Name,
    ProbeType Type,
    string Target,
    int IntervalMinutes,
    int TimeoutSeconds,
    ProbeExpect Expect,
    int AlertDelayMinutes,
    IReadOnlyList<EscalationStep>? Escalation,
    int RepeatMinutes,
    int RecoveryPasses,
    bool Public,
    IReadOnlyList<string>? Regions,
    bool Paused);
