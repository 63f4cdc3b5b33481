using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>The cycles table: claims and the decided mark once each, outcomes and health read back as one cycle, latest standing, retention.</summary>
public sealed class CycleStoreTests(StoreFixture store) : IClassFixture<StoreFixture>
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static long nextMinute = 29_000_000;

    private CycleStore Cycles => new(store.Clients);

    [Fact]
    public async Task A_regions_cycle_is_claimed_once_and_a_minute_decided_once_even_by_racing_runs()
    {
        var minute = Interlocked.Increment(ref nextMinute);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Cycles.ClaimAsync("west", minute, At, default)));
        var otherRegion = await Cycles.ClaimAsync("east", minute, At, default);
        var decided = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Cycles.MarkDecidedAsync(minute, At, default)));

        Assert.Equal(1, claims.Count(c => c));
        Assert.True(otherRegion);
        Assert.Equal(1, decided.Count(d => d));
        Assert.True((await Cycles.ReadAsync(minute, default)).Decided);
    }

    [Fact]
    public async Task Outcomes_of_every_part_and_the_health_of_each_region_read_back_as_one_cycle()
    {
        var minute = Interlocked.Increment(ref nextMinute);
        // Long messages make the outcomes span several rows of the partition.
        var main = Enumerable.Range(0, 3000).Select(i => new ProbeOutcome($"m{i:D5}", i % 3 == 0 ? new ProbeError(ErrorClass.Connect, new string('x', 250), "ECONNREFUSED") : null)).ToList();
        var shard = new[] { new ProbeOutcome("m-shard", new ProbeError(ErrorClass.Timeout, "no answer", "ETIMEDOUT")) };
        var canaries = new[] { new CanaryCheck("127.0.0.1:10002", null), new CanaryCheck("1.1.1.1:53", new ProbeError(ErrorClass.Connect, "unreachable", "ENETUNREACH")) };
        var health = new CycleHealth("west", minute, At, At.AddMilliseconds(20), At.AddSeconds(3), TimeSpan.FromMilliseconds(20), 3001, 3000, 0, 1, canaries);

        await Cycles.WriteOutcomesAsync("west", minute, "main", main, default);
        await Cycles.WriteOutcomesAsync("west", minute, "s0", shard, default);
        await Cycles.WriteOutcomesAsync("west", minute, "s0", shard, default);
        await Cycles.WriteOutcomesAsync("east", minute, "s3", shard, default);
        await Cycles.WriteHealthAsync(health, default);
        var cycle = await Cycles.ReadAsync(minute, default);

        Assert.False(cycle.Decided);
        Assert.Equal(main.Concat(shard).OrderBy(o => o.MonitorId, StringComparer.Ordinal), cycle.Outcomes["west"].OrderBy(o => o.MonitorId, StringComparer.Ordinal));
        Assert.Equal(health with { Canaries = [] }, cycle.Health["west"] with { Canaries = [] });
        Assert.Equal(canaries, cycle.Health["west"].Canaries);
        // east's own instance never finished, but its shard reported: it counts, without canaries.
        var reports = cycle.Reports();
        Assert.Equal(["east", "west"], reports.Select(r => r.Region));
        Assert.Empty(reports[0].Canaries);
    }

    [Fact]
    public async Task A_cycle_is_deleted_whole()
    {
        var minute = Interlocked.Increment(ref nextMinute);
        await Cycles.ClaimAsync("west", minute, At, default);
        await Cycles.WriteOutcomesAsync("west", minute, "main", [new ProbeOutcome("m1", null)], default);
        await Cycles.MarkDecidedAsync(minute, At, default);

        Assert.Equal(3, await Cycles.DeleteAsync(minute, default));

        var cycle = await Cycles.ReadAsync(minute, default);
        Assert.False(cycle.Decided);
        Assert.Empty(cycle.Outcomes);
        Assert.True(await Cycles.ClaimAsync("west", minute, At, default));
    }

    [Fact]
    public async Task The_latest_standing_of_a_region_replaces_the_one_before()
    {
        var region = $"r{Interlocked.Increment(ref nextMinute)}";
        var stats = new RegionStats(10, 2, 1, 3, 0, 8, 1);
        await Cycles.WriteLatestAsync(new RegionLatest(region, 5, At, stats, false, "old", TimeSpan.FromMilliseconds(3), TimeSpan.FromSeconds(1)), default);
        var latest = new RegionLatest(region, 6, At.AddMinutes(1), stats with { Failures = 4 }, true, "canaries answered", TimeSpan.FromMilliseconds(12.5), TimeSpan.FromMilliseconds(2500));
        await Cycles.WriteLatestAsync(latest, default);

        Assert.Equal(latest, (await Cycles.LatestAsync(default))[region]);
    }
}
