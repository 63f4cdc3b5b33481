using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Functions.Results;

/// <summary>One region's passing probes in a rollup: how many, and their total time's percentiles (ms, within 2 %).</summary>
public sealed record RegionLatencyBody(int Count, double P50, double P90, double P99)
{
    public static RegionLatencyBody From(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new RegionLatencyBody(histogram.Count, histogram.Percentile(50)!.Value, histogram.Percentile(90)!.Value, histogram.Percentile(99)!.Value);
    }
}
