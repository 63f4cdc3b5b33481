namespace ServerlessMonitor.Core.Incidents;

/// <summary>A stored timeline entry: when it was first written and, for a run of verdicts, when it last grew.</summary>
public sealed record TimelineRecord(DateTimeOffset At, TimelineEntry Entry, DateTimeOffset? LastAt);
