using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// An incident as the API answers it (API.md, Incidents; BEHAVIOUR.md): <c>end</c> says how it
/// ended, the timeline has the alerts merged in by time, and each alert its number and status.
/// </summary>
public sealed record IncidentView(
    string Id,
    string MonitorId,
    DateTimeOffset OpenedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ClosedAt,
    IncidentStatus State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IncidentEnd? End,
    IReadOnlyList<TimelineItem> Timeline,
    IReadOnlyList<AlertView> Alerts,
    IReadOnlyList<IncidentNote> Notes);
