namespace ServerlessMonitor.Core.Incidents;

/// <summary>One alert an incident's policy asked for: failure alert <paramref name="Sequence"/>, or the recovery notice (no sequence).</summary>
/// <param name="FailedMinute">For a failure alert, the minute of the newest failing verdict: the alert says what failed then.</param>
/// <param name="FailedRegions">The regions that verdict rests on (its trusted regions); their results of that minute are read when the alert is made.</param>
public sealed record IncidentAlertInput(
    string IncidentId,
    string MonitorId,
    DateTimeOffset OpenedAt,
    DateTimeOffset At,
    string Destination,
    AlertKind Kind,
    int? Sequence,
    long? FailedMinute = null,
    IReadOnlyList<string>? FailedRegions = null);
