using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>Hourly rollups: nearest-rank percentiles of passing probes, stored per monitor and hour, newest first.</summary>
public sealed class RollupStoreTests(StoreFixture store) : IClassFixture<StoreFixture>
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_hour_counts_every_result_and_takes_percentiles_of_the_passing_ones_only()
    {
        var results = Enumerable.Range(1, 100)
            .Select(i => new CycleResult("m1", i % 4 == 0 ? "east" : "west", Hour.AddMinutes(i % 60), Hour, new ProbeResult { Ok = i <= 90, Phases = new ProbePhases(null, null, null, null, i) }))
            .ToList();

        var rollup = HourRollup.Of("m1", Hour, results);

        Assert.Equal((100, 10), (rollup.Count, rollup.Failures));
        Assert.Equal((45.0, 81.0, 90.0, 90.0), (rollup.P50!.Value, rollup.P90!.Value, rollup.P99!.Value, rollup.Max!.Value));
        Assert.Equal(new Dictionary<string, int> { ["east"] = 25, ["west"] = 75 }, rollup.Regions);
    }

    [Fact]
    public void An_hour_without_a_passing_probe_has_no_percentiles()
    {
        var rollup = HourRollup.Of("m1", Hour, [new CycleResult("m1", "west", Hour, Hour, new ProbeResult { Ok = false, Phases = new ProbePhases(null, null, null, null, 3) })]);

        Assert.Equal((1, 1), (rollup.Count, rollup.Failures));
        Assert.Null(rollup.P50);
        Assert.Null(rollup.Max);
    }

    [Fact]
    public async Task Rollups_read_back_newest_first_replace_their_hour_and_are_deleted_by_age()
    {
        var rollups = new RollupStore(store.Clients);
        var monitor = ResultStoreTests.NewId();
        var hours = Enumerable.Range(0, 3).Select(h => new HourRollup(monitor, Hour.AddHours(h), 60, h, 12.5, 20, 31, 40, new Dictionary<string, int> { ["west"] = 60 })).ToList();
        await rollups.WriteAsync(hours, default);
        await rollups.WriteAsync([hours[0] with { Failures = 7, P50 = null, P90 = null, P99 = null, Max = null }], default);

        var read = await rollups.RangeAsync(monitor, Hour, Hour.AddHours(2), default);

        Assert.Equal([Hour.AddHours(2), Hour.AddHours(1), Hour], read.Select(r => r.Hour));
        Assert.Equal((12.5, 60), (read[0].P50!.Value, read[0].Regions["west"]));
        Assert.Equal((7, (double?)null), (read[2].Failures, read[2].P50));
        Assert.Equal(1, await rollups.DeleteBeforeAsync(monitor, Hour.AddHours(1), default));
        Assert.Equal(2, (await rollups.RangeAsync(monitor, Hour, Hour.AddDays(1), default)).Count);
    }
}
