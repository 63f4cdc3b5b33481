namespace ServerlessMonitor.Core.Incidents;

/// <summary>A note someone who may read the incident added to it.</summary>
/// <param name="Public">Shown on the status pages and feeds that list the monitor; other notes never leave the API.</param>
public sealed record IncidentNote(DateTimeOffset At, string AccountId, string Text, bool Public = false);
