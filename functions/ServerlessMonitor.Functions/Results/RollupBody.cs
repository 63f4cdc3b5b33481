using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Functions.Results;

/// <summary>One monitor's hour in GET /api/monitors/&lt;id&gt;/rollups.</summary>
/// <param name="Hour">Start of the hour.</param>
/// <param name="Count">Results in the hour, all regions.</param>
/// <param name="P50">Median total time of passing probes, ms; null when none passed.</param>
/// <param name="Regions">Results per region.</param>
/// <param name="Latency">Per region, percentiles of its passing probes' total time from the hour's histogram (within 2 %, docs/RESULTS.md); absent from hours rolled up before it was kept.</param>
public sealed record RollupBody(
    DateTimeOffset Hour,
    int Count,
    int Failures,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P50,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P90,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P99,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Max,
    IReadOnlyDictionary<string, int> Regions,
    IReadOnlyDictionary<string, RegionLatencyBody>? Latency)
{
    public static RollupBody From(HourRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        return new RollupBody(rollup.Hour, rollup.Count, rollup.Failures, rollup.P50, rollup.P90, rollup.P99, rollup.Max, rollup.Regions, rollup.Latency?.Where(kv => kv.Value.Count > 0).ToDictionary(kv => kv.Key, kv => RegionLatencyBody.From(kv.Value), StringComparer.Ordinal));
    }
}
