using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Functions.Regions;

/// <summary>A region in GET /api/regions: its latest decided cycle and whether it is alive.</summary>
/// <param name="LastCycleAt">Start of the minute of its latest decided cycle; null before the first.</param>
/// <param name="ErrorRate">Share of its checks (probes and canaries) that failed for reasons that say nothing about the target.</param>
/// <param name="Trusted">The verdict step trusted it in that cycle, and it is not silent.</param>
/// <param name="LagMs">How late that cycle started after its minute began.</param>
/// <param name="LastHeartbeatAt">When its cycle timer last ran; null if it never did.</param>
/// <param name="Silent">No cycle timer run for three minutes: down, or its timers stopped.</param>
public sealed record RegionBody(
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? LastCycleAt,
    int Probes,
    int Failures,
    double ErrorRate,
    bool Trusted,
    int LocalFaults,
    int CanaryFailures,
    double LagMs,
    double DurationMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? LastHeartbeatAt,
    bool Silent)
{
    public static RegionBody From(RegionStatus region)
    {
        ArgumentNullException.ThrowIfNull(region);
        var latest = region.Latest;
        return new RegionBody(
            region.Name,
            latest?.LastCycleAt,
            latest?.Stats.Probes ?? 0,
            latest?.Stats.Failures ?? 0,
            latest?.Stats.ErrorRate ?? 0,
            region.Trusted,
            latest?.Stats.LocalFaults ?? 0,
            latest?.Stats.CanaryFailures ?? 0,
            latest?.Lag.TotalMilliseconds ?? 0,
            latest?.Duration.TotalMilliseconds ?? 0,
            region.LastHeartbeatAt,
            region.Silent);
    }
}
