namespace ServerlessMonitor.Core.Incidents;

/// <summary>What one turn of an incident writes: timeline entries, the recheck flag, the incident's state.</summary>
/// <param name="Recheck">Set or clear the monitor's recheck flag; null: leave it.</param>
/// <param name="State">The incident's new state; null: unchanged.</param>
/// <param name="Closed">Whether the incident ended this turn.</param>
public sealed record IncidentRecordInput(
    string IncidentId,
    string MonitorId,
    DateTimeOffset At,
    IReadOnlyList<TimelineEntry> Timeline,
    bool? Recheck,
    IncidentStatus? State,
    IncidentEnd? End,
    bool Closed);
