using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>Recheck flags, region heartbeats and the verdict mark: one row each, overwritten in place.</summary>
public sealed class RegionAndRecheckStoreTests(StoreFixture store) : IClassFixture<StoreFixture>
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Flags_are_idempotent_both_ways()
    {
        var rechecks = new RecheckStore(store.Clients);
        var (a, b) = (ResultStoreTests.NewId(), ResultStoreTests.NewId());

        await rechecks.FlagAsync(a, At, default);
        await rechecks.FlagAsync(a, At.AddMinutes(1), default);
        await rechecks.FlagAsync(b, At, default);
        await rechecks.UnflagAsync(b, default);
        await rechecks.UnflagAsync(b, default);

        var flagged = await rechecks.ListAsync(default);
        Assert.Contains(a, flagged);
        Assert.DoesNotContain(b, flagged);
    }

    [Fact]
    public async Task The_latest_heartbeat_of_each_region_and_the_latest_verdict_mark_are_kept()
    {
        var regions = new RegionStore(store.Clients);
        Assert.Null(await regions.VerdictMarkAsync(default));

        await regions.WriteHeartbeatAsync(new RegionHeartbeat("east", 1, At, TimeSpan.FromMilliseconds(4)), default);
        await regions.WriteHeartbeatAsync(new RegionHeartbeat("east", 2, At.AddMinutes(1), TimeSpan.FromMilliseconds(7.5)), default);
        await regions.WriteHeartbeatAsync(new RegionHeartbeat("west", 2, At.AddMinutes(1), TimeSpan.Zero), default);
        await regions.WriteVerdictMarkAsync(new VerdictMark("east", 1, At.AddSeconds(50)), default);
        await regions.WriteVerdictMarkAsync(new VerdictMark("east", 2, At.AddSeconds(110)), default);

        var beats = await regions.HeartbeatsAsync(default);
        Assert.Equal(new RegionHeartbeat("east", 2, At.AddMinutes(1), TimeSpan.FromMilliseconds(7.5)), beats["east"]);
        Assert.Equal(2, beats.Count);
        Assert.Equal(new VerdictMark("east", 2, At.AddSeconds(110)), await regions.VerdictMarkAsync(default));
    }
}
