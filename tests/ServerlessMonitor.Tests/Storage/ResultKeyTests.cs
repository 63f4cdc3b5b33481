using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Storage;

public sealed class ResultKeyTests
{
    private static readonly DateTimeOffset Minute = DateTimeOffset.Parse("2026-11-29T19:40:00Z");
    private static readonly Gen<string> Region = Gen.Elements("eu", "us", "asia", "westeurope");

    /// <summary>Minute starts between 2000 and 2100, whole minutes as the scheduling clock makes them.</summary>
    private static readonly Gen<DateTimeOffset> MinuteAt =
        Gen.Choose(15_778_080, 68_374_080).Select(minutes => DateTimeOffset.UnixEpoch.AddMinutes(minutes));

    [Fact]
    public void A_repeated_or_late_probe_of_the_same_minute_has_the_same_key()
    {
        var first = Result(Minute.AddSeconds(1));
        var repeated = Result(Minute.AddSeconds(38)) with { Probe = Probe(new ProbeError(ErrorClass.Connect, "refused", "ECONNREFUSED")) };
        Assert.Equal(first.Key, repeated.Key);
        Assert.Equal((first.Key.PartitionKey, first.Key.RowKey), (repeated.Key.PartitionKey, repeated.Key.RowKey));
    }

    [Property(MaxTest = 300)]
    public Property Keys_are_equal_exactly_when_monitor_region_and_minute_are()
    {
        var keys = from monitor in Gen.Elements("m1", "m2", "m10")
                   from region in Region
                   from minuteAt in Gen.Choose(0, 3).Select(i => Minute.AddMinutes(i))
                   select (monitor, region, minuteAt);
        return Prop.ForAll(keys.ToArbitrary(), keys.ToArbitrary(), (a, b) =>
        {
            var (x, y) = (new ResultKey(a.monitor, a.region, a.minuteAt), new ResultKey(b.monitor, b.region, b.minuteAt));
            return (a == b) == (x.PartitionKey == y.PartitionKey && x.RowKey == y.RowKey);
        });
    }

    [Property(MaxTest = 300)]
    public Property A_monitors_rows_sort_newest_first()
    {
        var rows = from minuteAt in MinuteAt
                   from region in Region
                   select (minuteAt, region);
        return Prop.ForAll(rows.ToArbitrary(), rows.ToArbitrary(), (a, b) =>
        {
            var (older, newer) = a.minuteAt <= b.minuteAt ? (a, b) : (b, a);
            var comparison = string.CompareOrdinal(new ResultKey("m1", newer.region, newer.minuteAt).RowKey, new ResultKey("m1", older.region, older.minuteAt).RowKey);
            return older.minuteAt == newer.minuteAt || comparison < 0;
        });
    }

    [Property(MaxTest = 300)]
    public Property A_history_range_holds_exactly_the_monitors_rows_scheduled_inside_it()
    {
        var cases = from start in MinuteAt
                    from length in Gen.Choose(0, 120)
                    from probe in Gen.Choose(-5, 125)
                    from monitor in Gen.Elements("m1", "m10", "m2")
                    from region in Region
                    select (start, end: start.AddMinutes(length), at: start.AddMinutes(probe), monitor, region);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var range = ResultKey.HistoryOf("m1", c.start, c.end);
            var row = new ResultKey(c.monitor, c.region, c.at).RowKey;
            var inside = string.CompareOrdinal(row, range.From) >= 0 && string.CompareOrdinal(row, range.Before) < 0;
            return inside == (c.monitor == "m1" && c.at >= c.start && c.at <= c.end);
        });
    }

    [Theory]
    [InlineData("m1", "b11")]
    [InlineData("a", "b12")]
    [InlineData("mabcdefghij0123456789", "b08")]
    [InlineData("m00000000000000000042", "b02")]
    public void Buckets_are_the_TypeScript_apps(string monitorId, string bucket)
    {
        // Computed with functions/storage/results.ts's bucketOf: rows the TypeScript app wrote stay readable.
        Assert.Equal(bucket, ResultKey.BucketOf(monitorId));
        Assert.Equal(bucket, new ResultKey(monitorId, "eu", Minute).PartitionKey);
    }

    [Fact]
    public void The_row_key_is_the_TypeScript_apps()
    {
        Assert.Equal("m1|8204018799999|eu", new ResultKey("m1", "eu", Minute).RowKey);
        Assert.Equal("8204018799999", InvertedTime.Of(Minute));
    }

    [Theory]
    [InlineData("m|1", "eu")]
    [InlineData("m1", "eu|us")]
    [InlineData("m/1", "eu")]
    [InlineData("m1", "e#u")]
    [InlineData("", "eu")]
    [InlineData("m1", "eu\n")]
    public void Refuses_a_part_that_would_break_the_key(string monitorId, string region)
    {
        Assert.Throws<ArgumentException>(() => new ResultKey(monitorId, region, Minute));
    }

    [Fact]
    public void Refuses_a_range_that_ends_before_it_starts()
    {
        Assert.Throws<ArgumentException>(() => ResultKey.HistoryOf("m1", Minute, Minute.AddMinutes(-1)));
    }

    [Fact]
    public void A_results_outcome_is_what_the_verdict_reads()
    {
        var refused = new ProbeError(ErrorClass.Connect, "refused", "ECONNREFUSED");
        Assert.Equal(new ProbeOutcome("m1", null), Result(Minute).Outcome);
        Assert.Equal(new ProbeOutcome("m1", refused), (Result(Minute) with { Probe = Probe(refused) }).Outcome);
    }

    private static CycleResult Result(DateTimeOffset at) => new("m1", "eu", Minute, at, Probe(null));

    private static ProbeResult Probe(ProbeError? error) => new()
    {
        Ok = error is null,
        Error = error,
        Phases = new ProbePhases(null, 1, null, 2, 3),
    };
}
