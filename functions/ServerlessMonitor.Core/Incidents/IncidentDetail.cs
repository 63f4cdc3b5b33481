namespace ServerlessMonitor.Core.Incidents;

/// <summary>An incident with everything recorded about it, each list in the order it happened.</summary>
public sealed record IncidentDetail(IncidentRecord Incident, IReadOnlyList<TimelineRecord> Timeline, IReadOnlyList<AlertRecord> Alerts, IReadOnlyList<IncidentNote> Notes);
