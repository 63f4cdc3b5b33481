namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// What one region reported for a cycle: its canaries and its monitors' outcomes. A region that
/// did not report has no report, rather than an empty one.
/// </summary>
public sealed record RegionReport(string Region, IReadOnlyList<CanaryCheck> Canaries, IReadOnlyList<ProbeOutcome> Outcomes);
