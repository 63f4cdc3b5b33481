namespace ServerlessMonitor.Core.Incidents;

/// <summary>A note someone who may read the incident added to it.</summary>
public sealed record IncidentNote(DateTimeOffset At, string AccountId, string Text);
