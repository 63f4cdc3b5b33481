using Azure;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>An incident as stored: its monitor, when it opened, its state, and how and when it ended.</summary>
/// <param name="Monitor">The monitor as it was when the incident opened: the incident page shows it with no access to the monitor.</param>
/// <param name="ETag">The row's version: state changes are written under it.</param>
public sealed record IncidentRecord(
    string Id,
    string MonitorId,
    AlertedMonitor Monitor,
    long OpenedMinute,
    DateTimeOffset OpenedAt,
    IncidentStatus State,
    IncidentEnd? End,
    DateTimeOffset? ClosedAt,
    ETag ETag = default);
