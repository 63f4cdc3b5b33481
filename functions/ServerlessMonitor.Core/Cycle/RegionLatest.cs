namespace ServerlessMonitor.Core.Cycle;

/// <summary>A region's latest decided cycle as the verdict step judged it: what GET /api/regions shows.</summary>
/// <param name="LastCycleAt">Start of that cycle's scheduled minute.</param>
public sealed record RegionLatest(
    string Region,
    long Minute,
    DateTimeOffset LastCycleAt,
    RegionStats Stats,
    bool Trusted,
    string Reason,
    TimeSpan Lag,
    TimeSpan Duration);
