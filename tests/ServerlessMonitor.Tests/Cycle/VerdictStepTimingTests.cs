using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// Which minutes a run of the verdict step decides (storage.test.ts "verdict step timing"), on
/// Azurite with a clock the test sets: the run's minute once its deadline has passed, and the
/// minute before it, so a missed run costs nothing; never a cycle still before its deadline; each
/// minute once. And which minute a timer run belongs to when it fires a hair early.
/// </summary>
public sealed class VerdictStepTimingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UnixEpoch);
    private ServiceProvider services = null!;

    private SchedulingClock Clock => services.GetRequiredService<SchedulingClock>();

    private CycleStore Cycles => services.GetRequiredService<CycleStore>();

    public async Task InitializeAsync() =>
        services = await CoreAccounts.StartAsync(azurite.ConnectionString, time, settings: new() { ["SM_REGION"] = "eu", ["SM_REGIONS"] = "eu" });

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_late_run_decides_the_minute_before_its_own_and_a_missed_one_but_never_a_cycle_before_its_deadline()
    {
        var current = 29_600_000L;
        foreach (var minute in new[] { current - 1, current, current + 1 })
        {
            await Report(minute);
        }

        // The run of minute current + 1 (its timer fired late, so its index moved on) at a time
        // before that minute's deadline: current + 1 is still being probed.
        var timing = services.GetRequiredService<CycleTiming>();
        time.SetUtcNow(timing.DeadlineOf(current + 1).AddSeconds(-1));
        var decided = await services.GetRequiredService<VerdictStep>().RunAsync(current + 1, default);

        Assert.Equal([current - 1, current], decided.Select(d => d.Minute));
        Assert.True((await Cycles.ReadAsync(current - 1, default)).Decided);
        Assert.True((await Cycles.ReadAsync(current, default)).Decided);
        Assert.False((await Cycles.ReadAsync(current + 1, default)).Decided);
        var latest = (await Cycles.LatestAsync(default))["eu"];
        Assert.Equal((current, 1, 0, true), (latest.Minute, latest.Stats.Probes, latest.Stats.Failures, latest.Trusted));

        // Past its deadline the same run decides current + 1, and nothing twice.
        time.SetUtcNow(timing.DeadlineOf(current + 1));
        Assert.Equal([current + 1], (await services.GetRequiredService<VerdictStep>().RunAsync(current + 1, default)).Select(d => d.Minute));
        Assert.Empty(await services.GetRequiredService<VerdictStep>().RunAsync(current + 1, default));
    }

    [Fact]
    public void A_timer_run_fired_a_hair_before_its_minute_belongs_to_that_minute()
    {
        var timing = services.GetRequiredService<CycleTiming>();
        var start = Clock.StartOf(29_600_100);

        Assert.Equal(29_600_100, timing.MinuteOfTick(start.AddSeconds(-1)));
        Assert.Equal(29_600_100, timing.MinuteOfTick(start));
        Assert.Equal(29_600_100, timing.MinuteOfTick(start.AddSeconds(30)));
        Assert.Equal(29_600_099, timing.MinuteOfTick(start.AddSeconds(-10)));
    }

    private async Task Report(long minute)
    {
        var at = Clock.StartOf(minute);
        await Cycles.ClaimAsync("eu", minute, at, default);
        await Cycles.WriteOutcomesAsync("eu", minute, "main", [Reports.Ok("mtiming00000000000000")], default);
        await Cycles.WriteHealthAsync(new CycleHealth("eu", minute, at, at, at.AddSeconds(1), TimeSpan.Zero, 1, 1, 0, 0, Reports.Canaries(up: true)), default);
    }
}
