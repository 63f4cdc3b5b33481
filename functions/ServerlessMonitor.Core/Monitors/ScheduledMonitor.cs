using Azure;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// What the probe cycle reads of every monitor each minute: enough to decide whether it is due
/// and to probe it, nothing more (the scan selects only these columns).
/// </summary>
/// <param name="ETag">The monitor row's version, for the cycle's conditional state write.</param>
public sealed record ScheduledMonitor(
    string Id,
    ProbeType Type,
    string Target,
    int IntervalMinutes,
    int TimeoutSeconds,
    ProbeExpect Expect,
    IReadOnlyList<string>? Regions,
    bool Paused,
    MonitorState State,
    DateTimeOffset CreatedAt,
    ETag ETag);
