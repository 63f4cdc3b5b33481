using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Uptime;

/// <summary>
/// The uptime rows against Azurite: months merge stretches by union (a step run twice writes
/// nothing new, racing writers lose nothing), open outages and pauses count up to now, and the
/// source answers reports, days, months and latency from them.
/// </summary>
public sealed class UptimeRollupTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    /// <summary>A Tuesday in March; the monitors below were created in January.</summary>
    private static readonly DateTimeOffset Now = new(2028, 3, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Created = new(2028, 1, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private ServiceProvider services = null!;

    private UptimeStore Store => services.GetRequiredService<UptimeStore>();

    private IUptimeSource Source => services.GetRequiredService<IUptimeSource>();

    public async Task InitializeAsync() => services = await CoreAccounts.StartAsync(azurite.ConnectionString, time);

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_stretch_over_a_month_end_lands_in_both_months_and_adding_it_again_changes_no_row()
    {
        var monitor = await NewMonitorAsync();
        var outage = Span.Of(new DateTimeOffset(2028, 2, 29, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 3, 1, 1, 30, 0, TimeSpan.Zero));
        await Store.AddAsync(monitor, Down(outage), default);
        var before = await RowsAsync(monitor);
        await Store.AddAsync(monitor, Down(outage), default);

        var after = await RowsAsync(monitor);
        Assert.Equal(["month|2028-02", "month|2028-03"], after.Keys);
        Assert.Equal(before, after);
        var read = await Store.ReadAsync(monitor, new DateTimeOffset(2028, 2, 1, 0, 0, 0, TimeSpan.Zero), default);
        Assert.Equal([outage], read.Of(UptimeKind.Down).Spans);
        Assert.Equal([Span.Of(new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 3, 1, 1, 30, 0, TimeSpan.Zero))], (await Store.ReadAsync(monitor, Now, default)).Of(UptimeKind.Down).Spans);
    }

    [Fact]
    public async Task Writers_racing_into_one_month_lose_none_of_each_others_stretches()
    {
        var monitor = await NewMonitorAsync();
        var day = new DateTimeOffset(2028, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var outages = Enumerable.Range(0, 12).Select(i => Span.Of(day.AddHours(i * 2), day.AddHours(i * 2).AddMinutes(10 + i))).ToList();

        await Task.WhenAll(outages.Select(o => Store.AddAsync(monitor, Down(o), default)));

        Assert.Equal(outages, (await Store.ReadAsync(monitor, day, default)).Of(UptimeKind.Down).Spans);
    }

    [Fact]
    public async Task An_alerting_incident_counts_down_up_to_now_and_once_ended_its_stretch_stays_written_once_however_often_the_end_is_recorded()
    {
        var monitor = await NewMonitorAsync();
        var clock = services.GetRequiredService<Core.Scheduling.SchedulingClock>();
        var opened = clock.MinuteOf(Now.AddHours(-3));
        var incident = new IncidentRecord(IncidentIds.Of(monitor, opened), monitor, new AlertedMonitor(monitor, "shop", ProbeType.Https, "https://shop.example/"), opened, clock.StartOf(opened), IncidentStatus.Alerting, null, null);
        var incidents = services.GetRequiredService<IncidentStore>();
        await incidents.CreateAsync(incident, default);
        var recorder = services.GetRequiredService<UptimeRecorder>();
        await recorder.OutageConfirmedAsync(incident.Id, default);
        await recorder.OutageConfirmedAsync(incident.Id, default);

        var ongoing = await Source.ReportAsync(monitor, Period("24h"), 99.9, default);
        Assert.Equal(3 * 3600, ongoing.DowntimeSeconds);
        Assert.Equal(86_400, ongoing.ObservedSeconds);

        await incidents.PutTimelineAsync(incident.Id, Now,
        [
            new(0, TimelineKind.Opened, opened),
            new(1, TimelineKind.Verdict, opened, VerdictOutcome.Fail, Count: 100, LastMinute: opened + 99),
            new(2, TimelineKind.Alerting),
            new(3, TimelineKind.Verdict, opened + 100, VerdictOutcome.Suppressed, Count: 20, LastMinute: opened + 119),
            new(4, TimelineKind.Verdict, opened + 120, VerdictOutcome.Pass),
            new(5, TimelineKind.Recovered),
        ], default);
        var stored = await incidents.GetAsync(incident.Id, default);
        await incidents.SetStateAsync(stored!, IncidentStatus.Recovered, IncidentEnd.Recovered, Now, default);
        await recorder.IncidentEndedAsync(incident.Id, Now, default);
        var rows = await RowsAsync(monitor);
        await recorder.IncidentEndedAsync(incident.Id, Now, default);

        Assert.Equal(rows, await RowsAsync(monitor));
        Assert.DoesNotContain("now|outage", rows.Keys);
        var report = await Source.ReportAsync(monitor, Period("24h"), 99.9, default);
        Assert.Equal((100 * 60L, 20 * 60L, 0L), (report.DowntimeSeconds, report.SuppressedSeconds, report.MaintenanceSeconds));
        Assert.Equal(86_400 - 1200, report.ObservedSeconds);
        Assert.Equal(1 - (6000.0 / 85_200), report.Availability!.Value, 12);
        Assert.Equal((85L, 85L - 6000), (report.BudgetSeconds, report.BudgetLeftSeconds));
    }

    [Fact]
    public async Task A_late_confirmation_of_an_ended_incident_opens_nothing_and_a_left_over_open_outage_gives_way_to_the_next_incident()
    {
        var monitor = await NewMonitorAsync();
        var clock = services.GetRequiredService<Core.Scheduling.SchedulingClock>();
        var incidents = services.GetRequiredService<IncidentStore>();
        var recorder = services.GetRequiredService<UptimeRecorder>();
        var ended = clock.MinuteOf(Now.AddHours(-5));
        await incidents.CreateAsync(new IncidentRecord(IncidentIds.Of(monitor, ended), monitor, new AlertedMonitor(monitor, "shop", ProbeType.Https, "https://shop.example/"), ended, clock.StartOf(ended), IncidentStatus.Recovered, IncidentEnd.Recovered, Now.AddHours(-4)), default);
        await recorder.OutageConfirmedAsync(IncidentIds.Of(monitor, ended), default);
        Assert.Null(await Store.OpenOutageAsync(monitor, default));

        var stale = IncidentIds.Of(monitor, clock.MinuteOf(Now.AddHours(-3)));
        await Store.OpenOutageAsync(monitor, stale, Now.AddHours(-3), default);
        var opened = clock.MinuteOf(Now.AddMinutes(-30));
        var current = new IncidentRecord(IncidentIds.Of(monitor, opened), monitor, new AlertedMonitor(monitor, "shop", ProbeType.Https, "https://shop.example/"), opened, clock.StartOf(opened), IncidentStatus.Alerting, null, null);
        await incidents.CreateAsync(current, default);
        await recorder.OutageConfirmedAsync(current.Id, default);

        Assert.Equal((current.Id, clock.StartOf(opened)), await Store.OpenOutageAsync(monitor, default));
        Assert.Equal(30 * 60, (await Source.ReportAsync(monitor, Period("24h"), 99.9, default)).DowntimeSeconds);
    }

    [Fact]
    public async Task A_pause_is_maintenance_up_to_now_and_once_resumed_the_stretch_counts_neither_up_nor_down()
    {
        var monitor = await NewMonitorAsync();
        var recorder = services.GetRequiredService<UptimeRecorder>();
        await recorder.PausedAsync(monitor, Now.AddHours(-10), default);
        await recorder.PausedAsync(monitor, Now.AddHours(-5), default);

        var paused = await Source.ReportAsync(monitor, Period("24h"), 99.9, default);
        Assert.Equal((10 * 3600L, 14 * 3600L, 1.0), (paused.MaintenanceSeconds, paused.ObservedSeconds, paused.Availability!.Value));

        await recorder.RunningAsync(monitor, Now.AddHours(-2), default);
        await recorder.RunningAsync(monitor, Now.AddHours(-1), default);

        var resumed = await Source.ReportAsync(monitor, Period("24h"), 99.9, default);
        Assert.Equal((8 * 3600L, 16 * 3600L), (resumed.MaintenanceSeconds, resumed.ObservedSeconds));
    }

    [Fact]
    public async Task Days_and_months_start_at_the_monitors_creation_and_add_up_to_the_period()
    {
        var monitor = await NewMonitorAsync();
        await Store.AddAsync(monitor, Down(Span.Of(new DateTimeOffset(2028, 2, 28, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 2, 29, 0, 30, 0, TimeSpan.Zero))), default);
        await Store.AddAsync(monitor, Down(Span.Of(new DateTimeOffset(2028, 3, 13, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 3, 13, 10, 5, 0, TimeSpan.Zero))), default);

        var days = await Source.DailyAsync(monitor, DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-89), DateOnly.FromDateTime(Now.UtcDateTime), default);
        var months = await Source.MonthlyAsync(monitor, 12, Now, default);

        Assert.Equal(90, days.Count);
        Assert.Null(days[0].Availability);
        Assert.Equal(new DailyUptime(new DateOnly(2028, 1, 10), 1, 0, 86_400), days.Single(d => d.Day == new DateOnly(2028, 1, 10)));
        Assert.Equal((3600L, 1800L, 300L), (days.Single(d => d.Day == new DateOnly(2028, 2, 28)).DowntimeSeconds, days.Single(d => d.Day == new DateOnly(2028, 2, 29)).DowntimeSeconds, days.Single(d => d.Day == new DateOnly(2028, 3, 13)).DowntimeSeconds));
        Assert.Equal(12 * 3600, days[^1].ObservedSeconds);
        Assert.Equal(12, months.Count);
        Assert.Equal((2027, 4), (months[0].Year, months[0].Month));
        Assert.Null(months[0].Availability);
        Assert.Equal(new MonthlyUptime(2028, 2, 1 - (5400.0 / (29 * 86_400)), 5400, 29 * 86_400), months[^2]);
        Assert.Equal(days.Sum(d => d.DowntimeSeconds), months.Sum(m => m.DowntimeSeconds));
        var quarter = await Source.ReportAsync(monitor, Period("90d"), 99.99, default);
        Assert.Equal(days.Where(d => d.Day > DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-90)).Sum(d => d.DowntimeSeconds), quarter.DowntimeSeconds);
        Assert.Equal(Span.Of(Created, Now).Length, quarter.ObservedSeconds);
    }

    [Fact]
    public async Task A_minute_without_evidence_for_any_monitor_is_suppressed_for_every_monitor_and_a_minute_with_some_is_not()
    {
        // A year on: the deployment's suppressed minutes are every monitor's, so keep them out of the other tests' days.
        var now = Now.AddYears(1);
        time.SetUtcNow(now);
        Assert.True(UptimePeriods.TryParse("24h", now, out var day));
        var first = await NewMonitorAsync();
        var second = await NewMonitorAsync();
        var clock = services.GetRequiredService<Core.Scheduling.SchedulingClock>();
        var handoff = services.GetServices<IVerdictHandoff>().OfType<SuppressedMinutes>().Single();
        var minute = clock.MinuteOf(now.AddHours(-1));
        var before = (await Source.ReportAsync(first, day, 99.9, default)).SuppressedSeconds;

        await handoff.HandOffAsync([Verdict(first, minute, VerdictOutcome.Suppressed), Verdict(second, minute, VerdictOutcome.Unknown)], default);
        await handoff.HandOffAsync([Verdict(first, minute, VerdictOutcome.Suppressed), Verdict(second, minute, VerdictOutcome.Suppressed)], default);
        await handoff.HandOffAsync([Verdict(first, minute + 1, VerdictOutcome.Suppressed), Verdict(second, minute + 1, VerdictOutcome.Pass)], default);
        await handoff.HandOffAsync([Verdict(first, minute + 2, VerdictOutcome.Fail)], default);

        foreach (var monitor in new[] { first, second })
        {
            var report = await Source.ReportAsync(monitor, day, 99.9, default);
            Assert.Equal((before + 60, 86_400 - before - 60), (report.SuppressedSeconds, report.ObservedSeconds));
        }
    }

    [Fact]
    public async Task An_unknown_or_deleted_monitor_has_nothing_observed()
    {
        var report = await Source.ReportAsync(Ids.New(Ids.Monitor), Period("30d"), 99.9, default);
        Assert.Equal((null, 0L, 0L), (report.Availability, report.ObservedSeconds, report.BudgetSeconds));
    }

    [Fact]
    public async Task Latency_per_region_comes_hourly_from_the_rollups_and_daily_from_day_rows_the_rollup_job_folds()
    {
        var monitor = await NewMonitorAsync();
        var rollups = services.GetRequiredService<RollupStore>();
        var day = new DateTimeOffset(2028, 3, 13, 0, 0, 0, TimeSpan.Zero);
        var hours = new[] { 1, 2 }.Select(h => HourRollup.Of(monitor, day.AddHours(h), Results(monitor, day.AddHours(h)))).ToList();
        await rollups.WriteAsync(hours, default);

        var hourly = await Source.LatencyAsync(monitor, day, day.AddDays(1), TimeSpan.FromHours(1), default);
        Assert.Equal([(day.AddHours(1), "east"), (day.AddHours(1), "west"), (day.AddHours(2), "east"), (day.AddHours(2), "west")], hourly.Select(p => (p.At, p.Region)));
        Assert.Equal(30, hourly[0].Count);

        // The hourly job folds each hour's day from the day's hours: twice is the same day row.
        var timing = services.GetRequiredService<CycleTiming>();
        var job = services.GetRequiredService<ResultRollup>();
        var hourIndex = timing.Clock.MinuteOf(day.AddHours(2)) / 60;
        await services.GetRequiredService<ResultStore>().WriteAsync(Results(monitor, day.AddHours(2)), default);
        await job.RunAsync(hourIndex, default);
        await job.RunAsync(hourIndex, default);

        var daily = await Source.LatencyAsync(monitor, day.AddDays(-29), day.AddDays(1), TimeSpan.FromDays(1), default);
        Assert.Equal([(day, "east", 60), (day, "west", 60)], daily.Select(p => (p.At, p.Region, p.Count)));
        // East's day: 1..30 ms in each of the two hours.
        var exact = HourRollup.Percentile([.. Enumerable.Range(1, 30).SelectMany(i => new[] { i * 1.0, i * 1.0 }).Order()], 90)!.Value;
        Assert.InRange(daily[0].P90, exact * (1 - LatencyHistogram.RelativeError), exact * (1 + LatencyHistogram.RelativeError));
    }

    [Fact]
    public async Task The_overview_of_a_status_page_answers_as_the_four_reads_do()
    {
        var monitor = await NewMonitorAsync();
        var day = new DateTimeOffset(2028, 3, 13, 0, 0, 0, TimeSpan.Zero);
        await Store.AddAsync(monitor, Down(Span.Of(new DateTimeOffset(2028, 2, 28, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 2, 29, 0, 30, 0, TimeSpan.Zero))), default);
        await services.GetRequiredService<UptimeRecorder>().PausedAsync(monitor, Now.AddHours(-2), default);
        await services.GetRequiredService<RollupStore>().WriteAsync([.. Enumerable.Range(1, 30).Select(h => HourRollup.Of(monitor, Now.AddHours(-h), Results(monitor, Now.AddHours(-h))))], default);
        foreach (var d in new[] { 0, 5, 29, 31 })
        {
            await Store.WriteLatencyDayAsync(monitor, new LatencyDay(DateOnly.FromDateTime(day.AddDays(-d).UtcDateTime), new Dictionary<string, LatencyHistogram> { ["east"] = LatencyHistogram.Of([10 + d, 20 + d]) }), default);
        }

        var ninetyDays = new UptimePeriod("90d", Now.AddDays(-90), Now);
        var overview = await Source.OverviewAsync(monitor, Now, 90, 12, ninetyDays, 99.99, default);

        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        Assert.Equal(await Source.ReportAsync(monitor, ninetyDays, 99.99, default), overview.Report);
        Assert.Equal(5400, overview.Report.DowntimeSeconds);
        Assert.Equal(await Source.DailyAsync(monitor, today.AddDays(-89), today, default), overview.Days);
        Assert.Equal(await Source.MonthlyAsync(monitor, 12, Now, default), overview.Months);
        Assert.Equal(await Source.LatencyAsync(monitor, Now.AddHours(-24), Now, TimeSpan.FromHours(1), default), overview.HourlyLatency);
        Assert.Equal(await Source.LatencyAsync(monitor, Now.AddDays(-30), Now, TimeSpan.FromDays(1), default), overview.DailyLatency);
        Assert.Equal(48, overview.HourlyLatency.Count);
        Assert.Equal([day.AddDays(-5), day], overview.DailyLatency.Select(p => p.At));
        Assert.Equal(10 * 3600, overview.Days[^1].ObservedSeconds);
        Assert.Equal(5400, overview.Months[^2].DowntimeSeconds);
    }

    [Fact]
    public async Task Retention_deletes_old_months_and_a_deleted_monitors_rows()
    {
        var monitor = await NewMonitorAsync();
        await Store.AddAsync(monitor, Down(Span.Of(new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 5, 1, 0, 0, TimeSpan.Zero))), default);
        await Store.AddAsync(monitor, Down(Span.Of(new DateTimeOffset(2028, 3, 5, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 3, 5, 1, 0, 0, TimeSpan.Zero))), default);
        await Store.WriteLatencyDayAsync(monitor, new LatencyDay(new DateOnly(2027, 1, 5), new Dictionary<string, LatencyHistogram> { ["east"] = LatencyHistogram.Of([5]) }), default);
        await services.GetRequiredService<UptimeRecorder>().PausedAsync(monitor, Now, default);

        Assert.Equal(2, await Store.DeleteBeforeAsync(monitor, Now - RollupStore.Retention, default));
        Assert.Equal(["month|2028-03", "now|pause"], (await RowsAsync(monitor)).Keys);
        Assert.Equal(2, await Store.DeleteMonitorAsync(monitor, 100, default));
        Assert.Empty(await RowsAsync(monitor));
    }

    private static MonitorVerdict Verdict(string monitor, long minute, VerdictOutcome outcome) => new(monitor, outcome, [], "test") { Minute = minute };

    private static Dictionary<UptimeKind, SpanSet> Down(Span span) => new() { [UptimeKind.Down] = SpanSet.Of(span) };

    private static UptimePeriod Period(string name) => UptimePeriods.TryParse(name, Now, out var p) ? p : throw new ArgumentException(name);

    /// <summary>30 passing results per region in the hour: east 1..30 ms, west twice that.</summary>
    private static List<CycleResult> Results(string monitor, DateTimeOffset hour) =>
        [.. Enumerable.Range(1, 30).SelectMany(i => new[] { ("east", i * 1.0), ("west", i * 2.0) })
            .Select((r, n) => new CycleResult(monitor, r.Item1, hour.AddMinutes(n % 60), hour.AddMinutes(n % 60), new ProbeResult { Ok = true, Phases = new ProbePhases(null, null, null, null, r.Item2) }))];

    private async Task<SortedDictionary<string, string>> RowsAsync(string monitor)
    {
        var table = services.GetRequiredService<StorageClients>().Table(StorageNames.Uptime);
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {monitor}")))
        {
            rows[row.RowKey] = string.Join(";", row.Where(kv => kv.Key is not ("odata.etag" or "Timestamp")).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={(kv.Value is byte[] b ? Convert.ToHexString(b) : kv.Value)}"));
        }

        return rows;
    }

    private async Task<string> NewMonitorAsync()
    {
        var id = Ids.New(Ids.Monitor);
        var definition = new MonitorDefinition("shop", ProbeType.Https, "https://shop.example/", 5, 10, ProbeExpect.None, 2, null, 15, 1, false, null, false);
        Assert.True(await services.GetRequiredService<MonitorStore>().CreateAsync(new MonitorRecord(id, "a-owner", definition, MonitorState.Unknown, null, Created, Created), default));
        return id;
    }
}
