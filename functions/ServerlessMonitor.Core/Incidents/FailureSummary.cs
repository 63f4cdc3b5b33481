namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// What the failing regions of one cycle saw, small enough to travel in orchestration history:
/// the alert says it. Only trusted regions, so an untrusted region's noise is never evidence.
/// </summary>
public sealed record FailureSummary(long Minute, DateTimeOffset At, IReadOnlyList<RegionFailure> Regions);
