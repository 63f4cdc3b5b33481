namespace ServerlessMonitor.Core.Incidents;

/// <summary>A failing verdict of minute <paramref name="Minute"/> with no open incident, and the monitor's settings then.</summary>
public sealed record IncidentOpening(
    string IncidentId,
    string MonitorId,
    long Minute,
    IReadOnlyList<string> Regions,
    int AlertDelayMinutes,
    int RecoveryPasses,
    IReadOnlyList<DestinationPlan> Destinations);
