namespace ServerlessMonitor.Core.Incidents;

/// <summary>One alert an incident's policy asked for: failure alert <paramref name="Sequence"/>, or the recovery notice (no sequence).</summary>
public sealed record IncidentAlertInput(
    string IncidentId,
    string MonitorId,
    DateTimeOffset OpenedAt,
    DateTimeOffset At,
    string Destination,
    AlertKind Kind,
    int? Sequence);
