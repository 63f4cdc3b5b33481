using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// Uptime and latency from the rollups (docs/UPTIME.md): a report, the days or the months of one
/// monitor are one range query of its uptime partition (the deployment's suppressed minutes are
/// read once for all monitors, DeploymentSuppression); latency is one range query of its hourly
/// rollups (a day or less) or of its day rows (longer steps). A status page's overview is two:
/// the uptime partition with its latency days, and the hourly rollups.
/// </summary>
public sealed class UptimeSource(UptimeStore store, MonitorStore monitors, RollupStore rollups, DeploymentSuppression deployment, TimeProvider time) : IUptimeSource
{
    public async Task<UptimeReport> ReportAsync(string monitorId, UptimePeriod period, double targetPercent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        return Report(await TallyAsync(monitorId, period.From, cancellationToken).ConfigureAwait(false), period, targetPercent);
    }

    private static UptimeReport Report(UptimeTally tally, UptimePeriod period, double targetPercent)
    {
        var count = tally.Count(Span.Of(period.From, period.To));
        var (budget, left) = count.Budget(targetPercent);
        return new UptimeReport(period.Name, period.From, period.To, count.Availability, count.Down, count.Suppressed, count.Maintenance, budget, left)
        {
            ObservedSeconds = count.Observed,
        };
    }

    public async Task<IReadOnlyList<DailyUptime>> DailyAsync(string monitorId, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Days(await TallyAsync(monitorId, StartOf(from), cancellationToken).ConfigureAwait(false), from, to);

    public async Task<IReadOnlyList<MonthlyUptime>> MonthlyAsync(string monitorId, int months, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        return Months(await TallyAsync(monitorId, FirstMonth(months, now), cancellationToken).ConfigureAwait(false), months, now);
    }

    public async Task<IReadOnlyList<LatencyPoint>> LatencyAsync(string monitorId, DateTimeOffset from, DateTimeOffset to, TimeSpan step, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        return step < TimeSpan.FromDays(1)
            ? Points(Hours(await rollups.RangeAsync(monitorId, from, to, cancellationToken).ConfigureAwait(false)), from, to, step)
            : Points(Days(await store.ReadLatencyDaysAsync(monitorId, DateOnly.FromDateTime(from.UtcDateTime), DateOnly.FromDateTime(to.UtcDateTime), cancellationToken).ConfigureAwait(false)), from, to, step);
    }

    public async Task<UptimeOverview> OverviewAsync(string monitorId, DateTimeOffset now, int days, int months, UptimePeriod report, double targetPercent, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        ArgumentNullException.ThrowIfNull(report);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstDay = today.AddDays(1 - days);
        var firstMonth = FirstMonth(months, now);
        var earliest = new[] { StartOf(firstDay), firstMonth, report.From }.Min();
        var hoursTask = rollups.RangeAsync(monitorId, now.AddHours(-24), now, cancellationToken);
        var (tally, latency) = await TallyWithLatencyAsync(monitorId, earliest, DateOnly.FromDateTime(now.AddDays(-30).UtcDateTime), cancellationToken).ConfigureAwait(false);
        var hours = await hoursTask.ConfigureAwait(false);
        return new UptimeOverview(
            Report(tally, report, targetPercent),
            Days(tally, firstDay, today),
            Months(tally, months, now),
            Points(Hours(hours), now.AddHours(-24), now, TimeSpan.FromHours(1)),
            Points(Days(latency), now.AddDays(-30), now, TimeSpan.FromDays(1)));
    }

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DateTimeOffset FirstMonth(int months, DateTimeOffset now) => UptimeStore.MonthOf(now).AddMonths(1 - months);

    private static List<DailyUptime> Days(UptimeTally tally, DateOnly from, DateOnly to)
    {
        var days = new List<DailyUptime>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var count = tally.Count(Span.Of(StartOf(day), StartOf(day.AddDays(1))));
            days.Add(new DailyUptime(day, count.Availability, count.Down, count.Observed));
        }

        return days;
    }

    private static List<MonthlyUptime> Months(UptimeTally tally, int months, DateTimeOffset now)
    {
        var answer = new List<MonthlyUptime>(months);
        for (var month = FirstMonth(months, now); answer.Count < months; month = month.AddMonths(1))
        {
            var count = tally.Count(Span.Of(month, month.AddMonths(1)));
            answer.Add(new MonthlyUptime(month.Year, month.Month, count.Availability, count.Down, count.Observed));
        }

        return answer;
    }

    private static IEnumerable<(DateTimeOffset At, IReadOnlyDictionary<string, LatencyHistogram>? Latency)> Hours(IEnumerable<HourRollup> hours) =>
        hours.Select(h => (h.Hour, h.Latency));

    private static IEnumerable<(DateTimeOffset At, IReadOnlyDictionary<string, LatencyHistogram>? Latency)> Days(IEnumerable<LatencyDay> days) =>
        days.Select(d => (StartOf(d.Day), (IReadOnlyDictionary<string, LatencyHistogram>?)d.Regions));

    /// <summary>
    /// Rows merged into buckets of the step counted from the epoch, so any step works and merging
    /// is exact (histogram counts add); one point per bucket and region, oldest first.
    /// </summary>
    private static List<LatencyPoint> Points(IEnumerable<(DateTimeOffset At, IReadOnlyDictionary<string, LatencyHistogram>? Latency)> rows, DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        var merged = new SortedDictionary<(long Bucket, string Region), LatencyHistogram>();
        foreach (var (at, latency) in rows)
        {
            if (latency is null || at < from || at > to)
            {
                continue;
            }

            var bucket = (at - DateTimeOffset.UnixEpoch).Ticks / step.Ticks;
            foreach (var (region, histogram) in latency)
            {
                merged[(bucket, region)] = merged.TryGetValue((bucket, region), out var h) ? h.Merge(histogram) : histogram;
            }
        }

        return [.. merged
            .Where(kv => kv.Value.Count > 0)
            .Select(kv => new LatencyPoint(
                DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(kv.Key.Bucket * step.Ticks),
                kv.Key.Region,
                kv.Value.Percentile(50)!.Value,
                kv.Value.Percentile(90)!.Value,
                kv.Value.Percentile(99)!.Value,
                kv.Value.Count))];
    }

    private async Task<UptimeTally> TallyAsync(string monitorId, DateTimeOffset from, CancellationToken cancellationToken) =>
        (await TallyFromAsync(monitorId, from, async () => (await store.ReadAsync(monitorId, from, cancellationToken).ConfigureAwait(false), []), cancellationToken).ConfigureAwait(false)).Tally;

    private Task<(UptimeTally Tally, IReadOnlyList<LatencyDay> Latency)> TallyWithLatencyAsync(string monitorId, DateTimeOffset from, DateOnly latencyFrom, CancellationToken cancellationToken) =>
        TallyFromAsync(monitorId, from, () => store.ReadWithLatencyAsync(monitorId, latencyFrom, cancellationToken), cancellationToken);

    /// <summary>
    /// The monitor's time from the month of <paramref name="from"/> up to now, from one range query
    /// of its partition (<paramref name="read"/>) and the deployment's suppressed minutes. The first
    /// report of a monitor reads the monitor row too and notes its creation (and a pause that was
    /// on before pauses were recorded, as from its last change), so later ones need not.
    /// </summary>
    private async Task<(UptimeTally Tally, IReadOnlyList<LatencyDay> Latency)> TallyFromAsync(
        string monitorId,
        DateTimeOffset from,
        Func<Task<(UptimeRecords Records, IReadOnlyList<LatencyDay> Latency)>> read,
        CancellationToken cancellationToken)
    {
        var everyoneTask = deployment.ReadAsync(from, cancellationToken);
        var (records, latency) = await read().ConfigureAwait(false);
        var everyone = await everyoneTask.ConfigureAwait(false);
        var now = Span.Seconds(time.GetUtcNow());
        if (records.CreatedAt is null)
        {
            if (await monitors.GetAsync(monitorId, cancellationToken).ConfigureAwait(false) is not { } monitor)
            {
                return (new UptimeTally(now, now, SpanSet.Empty, SpanSet.Empty, SpanSet.Empty), latency);
            }

            await store.NoteCreatedAsync(monitorId, monitor.CreatedAt, cancellationToken).ConfigureAwait(false);
            if (monitor.Definition.Paused && records.PausedSince is null)
            {
                await store.OpenPauseAsync(monitorId, monitor.UpdatedAt, cancellationToken).ConfigureAwait(false);
            }

            (records, latency) = await read().ConfigureAwait(false);
        }

        var down = records.Of(UptimeKind.Down);
        if (records.OutageSince is { } outage)
        {
            down = down.Union(SpanSet.Of(new Span(outage, now)));
        }

        var maintenance = records.Of(UptimeKind.Maintenance);
        if (records.PausedSince is { } paused)
        {
            maintenance = maintenance.Union(SpanSet.Of(new Span(paused, now)));
        }

        var suppressed = records.Of(UptimeKind.Suppressed).Union(everyone);
        return (new UptimeTally(records.CreatedAt ?? now, now, down, suppressed, maintenance), latency);
    }
}
