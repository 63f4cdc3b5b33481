using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Tests.Uptime;

/// <summary>Per-region latency histograms: exact to merge, percentiles within 2 % of the exact nearest rank.</summary>
public sealed class LatencyHistogramProperties
{
    /// <summary>Probe totals from a tenth of a millisecond to a minute, log-uniform.</summary>
    private static readonly Gen<double> Total = Gen.Choose(0, 1_000_000).Select(i => 0.1 * Math.Pow(600_000, i / 1_000_000.0));

    private static readonly Gen<double[]> Totals = Gen.Choose(1, 300).SelectMany(n => Total.ArrayOf(n));

    [Property(MaxTest = 300)]
    public Property A_percentile_is_within_the_stated_error_of_the_exact_nearest_rank() => Prop.ForAll(Totals.ToArbitrary(), Gen.Elements(50, 90, 99).ToArbitrary(), (totals, p) =>
    {
        var exact = HourRollup.Percentile([.. totals.Order()], p)!.Value;
        var approx = LatencyHistogram.Of(totals).Percentile(p)!.Value;
        return Math.Abs(approx - exact) <= (exact * LatencyHistogram.RelativeError) + 1e-9;
    });

    [Property(MaxTest = 300)]
    public Property Merging_hours_gives_the_day_as_if_made_at_once() => Prop.ForAll(Totals.ToArbitrary(), Totals.ToArbitrary(), (a, b) =>
    {
        var merged = LatencyHistogram.Of(a).Merge(LatencyHistogram.Of(b));
        var whole = LatencyHistogram.Of([.. a, .. b]);
        return merged.Encode() == whole.Encode()
            && LatencyHistogram.Decode(merged.Encode()).Encode() == merged.Encode()
            && merged.Percentile(90) == whole.Percentile(90);
    });

    [Fact]
    public void An_hour_of_one_region_takes_about_two_bytes_a_bucket()
    {
        // 60 passing probes between 20 and 200 ms: the usual hour of a one-minute monitor.
        var hour = LatencyHistogram.Of(Enumerable.Range(0, 60).Select(i => 20 * Math.Pow(10, i / 59.0)));

        Assert.InRange(hour.Encode().Length, 1, 40 + (4 * hour.Buckets.Count / 3 * 2) + 4);
        Assert.Equal(hour.Encode(), LatencyHistogram.Decode(hour.Encode()).Encode());
    }

    [Fact]
    public void An_empty_histogram_has_no_percentiles_and_merges_as_nothing()
    {
        var some = LatencyHistogram.Of([12.5, 30]);
        Assert.Null(LatencyHistogram.Empty.Percentile(50));
        Assert.Same(some, some.Merge(LatencyHistogram.Empty));
        Assert.Same(some, LatencyHistogram.Empty.Merge(some));
        Assert.Equal((12.5, 30.0), (some.Percentile(0.1)!.Value, some.Percentile(100)!.Value));
    }
}
