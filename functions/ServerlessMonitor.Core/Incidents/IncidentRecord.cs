using Azure;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>An incident as stored: when it opened, its state, and how and when it ended.</summary>
/// <param name="ETag">The row's version: state changes are written under it.</param>
public sealed record IncidentRecord(
    string Id,
    string MonitorId,
    long OpenedMinute,
    DateTimeOffset OpenedAt,
    IncidentStatus State,
    IncidentEnd? End,
    DateTimeOffset? ClosedAt,
    ETag ETag = default);
