using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Functions.Cycle;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The hourly roll-up the primary's results-rollup timer runs (storage.test.ts "rolls an hour up
/// per monitor and deletes raw results past retention"), on Azurite: one rollup per monitor that
/// has results in the hour, raw results past seven days deleted, rollups past 400 days deleted on
/// the day's first hour, a second run of the same hour changing nothing, and the
/// timer doing it in the primary region only.
/// </summary>
public sealed class ResultRollupTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    /// <summary>The first hour of a day, so that the run also prunes rollups.</summary>
    private static readonly DateTimeOffset Hour = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private ServiceProvider services = null!;

    private ResultStore Results => services.GetRequiredService<ResultStore>();

    private RollupStore Rollups => services.GetRequiredService<RollupStore>();

    public async Task InitializeAsync() => services = await CoreAccounts.StartAsync(azurite.ConnectionString, TimeProvider.System);

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task An_hour_is_rolled_up_per_monitor_and_results_and_rollups_past_retention_are_deleted()
    {
        var monitors = services.GetRequiredService<MonitorStore>();
        var busy = await CycleMonitors.AddAsync(monitors, ProbeType.Http, "http://example.com/");
        var quiet = await CycleMonitors.AddAsync(monitors, ProbeType.Http, "http://example.org/");

        // An hour of two regions: every tenth minute fails, totals 1 to 60 ms.
        var hour = Enumerable.Range(0, 60)
            .SelectMany(m => new[] { "eu", "us" }.Select(region => Result(busy, region, Hour.AddMinutes(m), m % 10 != 0, m + 1)))
            .ToList();
        var eightDaysOld = Result(busy, "eu", Hour.AddDays(-8), true, 5);
        var sixDaysOld = Result(busy, "eu", Hour.AddDays(-6), true, 5);
        var nextHour = Result(busy, "eu", Hour.AddHours(1), true, 999);
        await Results.WriteAsync([.. hour, eightDaysOld, sixDaysOld, nextHour, Result(quiet, "eu", Hour.AddDays(-8), false, 1)], default);
        var stale = new HourRollup(busy, Hour.AddDays(-401), 60, 0, 1, 1, 1, 1, new Dictionary<string, int> { ["eu"] = 60 });
        var kept = stale with { Hour = Hour.AddDays(-399) };
        await Rollups.WriteAsync([stale, kept], default);

        var rollup = services.GetRequiredService<ResultRollup>();
        var index = Hour.ToUnixTimeSeconds() / 3600;
        Assert.Equal(1, await rollup.RunAsync(index, default));

        var made = Assert.Single(await Rollups.RangeAsync(busy, Hour, Hour, default));
        Assert.Equal((120, 12), (made.Count, made.Failures));
        Assert.Equal(new Dictionary<string, int> { ["eu"] = 60, ["us"] = 60 }, made.Regions);

        // 108 passing totals (2 to 60 without 11, 21, 31, 41, 51, twice): the 54th is 30.
        Assert.Equal((30.0, 60.0), (made.P50!.Value, made.Max!.Value));
        Assert.Empty(await Rollups.RangeAsync(quiet, Hour.AddDays(-1), Hour.AddDays(1), default));

        Assert.Empty(await Results.RangeAsync(busy, eightDaysOld.MinuteAt, eightDaysOld.MinuteAt, null, 10, default));
        Assert.Empty(await Results.RangeAsync(quiet, Hour.AddDays(-9), Hour, null, 10, default));
        Assert.Single(await Results.RangeAsync(busy, sixDaysOld.MinuteAt, sixDaysOld.MinuteAt, null, 10, default));
        Assert.Equal(121, (await Results.RangeAsync(busy, Hour, Hour.AddHours(1), null, 500, default)).Count);
        Assert.Equal([kept.Hour], (await Rollups.RangeAsync(busy, Hour.AddDays(-500), Hour.AddDays(-1), default)).Select(r => r.Hour));

        // The timer runs at least once: the same hour again writes the same rollup.
        Assert.Equal(1, await rollup.RunAsync(index, default));
        var again = Assert.Single(await Rollups.RangeAsync(busy, Hour, Hour, default));
        Assert.Equal((made.Count, made.Failures, made.P50, made.P90, made.P99, made.Max), (again.Count, again.Failures, again.P50, again.P90, again.P99, again.Max));
        Assert.Equal(made.Regions.OrderBy(r => r.Key), again.Regions.OrderBy(r => r.Key));
    }

    [Fact]
    public async Task The_timer_rolls_up_the_previous_hour_in_the_primary_region_only()
    {
        var hour = new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(hour.AddHours(1).AddMinutes(5));
        var settings = new Dictionary<string, string?> { ["SM_REGIONS"] = "eu,us" };
        await using var eu = await CoreAccounts.StartAsync(azurite.ConnectionString, time, settings: new(settings) { ["SM_REGION"] = "eu" });
        await using var us = await CoreAccounts.StartAsync(azurite.ConnectionString, time, settings: new(settings) { ["SM_REGION"] = "us" });
        var monitor = await CycleMonitors.AddAsync(eu.GetRequiredService<MonitorStore>(), ProbeType.Http, "http://example.net/");
        await Results.WriteAsync([Result(monitor, "us", hour.AddMinutes(30), true, 7)], default);

        await Timer(us).Run(new TimerInfo(), default);
        Assert.Empty(await Rollups.RangeAsync(monitor, hour, hour, default));

        await Timer(eu).Run(new TimerInfo(), default);
        Assert.Equal(1, Assert.Single(await Rollups.RangeAsync(monitor, hour, hour, default)).Count);
    }

    [Fact]
    public void The_previous_hour_is_the_one_that_ended_before_the_minutes_hour_began()
    {
        Assert.Equal(0, ResultRollup.PreviousHour(59));
        Assert.Equal(0, ResultRollup.PreviousHour(60 + 59));
        Assert.Equal(1, ResultRollup.PreviousHour(120));
        Assert.Equal(0, ResultRollup.PreviousHour(0));
    }

    private static RollupFunction Timer(IServiceProvider region) =>
        new(region.GetRequiredService<ResultRollup>(), region.GetRequiredService<CycleTiming>(), region.GetRequiredService<MonitorConfig>());

    private static CycleResult Result(string monitor, string region, DateTimeOffset minute, bool ok, double total) =>
        new(monitor, region, minute, minute.AddMilliseconds(150), new ProbeResult
        {
            Ok = ok,
            Error = ok ? null : new ProbeError(ErrorClass.Status, "HTTP 503"),
            Status = ok ? 200 : 503,
            Phases = new ProbePhases(null, 1.5, null, total - 0.5, total),
        });
}
