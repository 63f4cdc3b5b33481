namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// A region as GET /api/regions shows it: its latest decided cycle (null before the first) and
/// whether it is alive.
/// </summary>
/// <param name="LastHeartbeatAt">When its cycle timer last ran; null if it never did.</param>
/// <param name="Silent">No heartbeat for <see cref="RegionOverview.SilentAfterMinutes"/> minutes: down, or its timers stopped.</param>
public sealed record RegionStatus(string Name, RegionLatest? Latest, DateTimeOffset? LastHeartbeatAt, bool Silent)
{
    /// <summary>Trusted in its latest decided cycle, and still alive.</summary>
    public bool Trusted => Latest is { Trusted: true } && !Silent;
}
