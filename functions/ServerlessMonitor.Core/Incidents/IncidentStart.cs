namespace ServerlessMonitor.Core.Incidents;

/// <summary>What the verdict step starts an incident's orchestration with: the failing verdict of <paramref name="Minute"/>.</summary>
public sealed record IncidentStart(string IncidentId, string MonitorId, long Minute, DateTimeOffset At, IReadOnlyList<string> Regions);
