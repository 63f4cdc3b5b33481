namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// One monitor's scheduling hour in one row: what history older than the raw results' week is
/// made of. Percentiles are of passing probes' total time (ms), nearest rank; null when none passed.
/// </summary>
/// <param name="Hour">Start of the hour.</param>
/// <param name="Regions">Results per region.</param>
/// <param name="Latency">Passing probes' total times per region as mergeable histograms (null in rows written before them).</param>
public sealed record HourRollup(
    string MonitorId,
    DateTimeOffset Hour,
    int Count,
    int Failures,
    double? P50,
    double? P90,
    double? P99,
    double? Max,
    IReadOnlyDictionary<string, int> Regions,
    IReadOnlyDictionary<string, LatencyHistogram>? Latency = null)
{
    public static HourRollup Of(string monitorId, DateTimeOffset hour, IReadOnlyCollection<CycleResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var totals = results.Where(r => r.Probe.Ok).Select(r => r.Probe.Phases.Total).Order().ToArray();
        var regions = results.GroupBy(r => r.Region, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new HourRollup(
            monitorId,
            hour,
            results.Count,
            results.Count(r => !r.Probe.Ok),
            Percentile(totals, 50),
            Percentile(totals, 90),
            Percentile(totals, 99),
            totals.Length == 0 ? null : totals[^1],
            regions,
            results.Where(r => r.Probe.Ok)
                .GroupBy(r => r.Region, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => LatencyHistogram.Of(g.Select(r => r.Probe.Phases.Total)), StringComparer.Ordinal));
    }

    /// <summary>Nearest rank: the smallest value with at least p% of the values at or below it.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, int p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
