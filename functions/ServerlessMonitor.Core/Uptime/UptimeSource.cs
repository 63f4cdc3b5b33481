using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// Uptime and latency from the rollups (docs/UPTIME.md): a report, the days or the months of one
/// monitor are one point read of the monitor (when it was created, whether it is paused) and two
/// range queries, run together: its uptime partition and the deployment's suppressed minutes; latency is one range query of its hourly rollups (a day
/// or less) or of its day rows (longer steps).
/// </summary>
public sealed class UptimeSource(UptimeStore store, MonitorStore monitors, RollupStore rollups, TimeProvider time) : IUptimeSource
{
    public async Task<UptimeReport> ReportAsync(string monitorId, UptimePeriod period, double targetPercent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var tally = await TallyAsync(monitorId, period.From, cancellationToken).ConfigureAwait(false);
        var count = tally.Count(Span.Of(period.From, period.To));
        var (budget, left) = count.Budget(targetPercent);
        return new UptimeReport(period.Name, period.From, period.To, count.Availability, count.Down, count.Suppressed, count.Maintenance, budget, left)
        {
            ObservedSeconds = count.Observed,
        };
    }

    public async Task<IReadOnlyList<DailyUptime>> DailyAsync(string monitorId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var tally = await TallyAsync(monitorId, start, cancellationToken).ConfigureAwait(false);
        var days = new List<DailyUptime>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var count = tally.Count(Span.Of(dayStart, dayStart.AddDays(1)));
            days.Add(new DailyUptime(day, count.Availability, count.Down, count.Observed));
        }

        return days;
    }

    public async Task<IReadOnlyList<MonthlyUptime>> MonthlyAsync(string monitorId, int months, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        var first = UptimeStore.MonthOf(now).AddMonths(1 - months);
        var tally = await TallyAsync(monitorId, first, cancellationToken).ConfigureAwait(false);
        var answer = new List<MonthlyUptime>(months);
        for (var month = first; answer.Count < months; month = month.AddMonths(1))
        {
            var count = tally.Count(Span.Of(month, month.AddMonths(1)));
            answer.Add(new MonthlyUptime(month.Year, month.Month, count.Availability, count.Down, count.Observed));
        }

        return answer;
    }

    public async Task<IReadOnlyList<LatencyPoint>> LatencyAsync(string monitorId, DateTimeOffset from, DateTimeOffset to, TimeSpan step, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        var steps = step < TimeSpan.FromDays(1)
            ? (await rollups.RangeAsync(monitorId, from, to, cancellationToken).ConfigureAwait(false)).Select(h => (h.Hour, h.Latency))
            : (await store.ReadLatencyDaysAsync(monitorId, DateOnly.FromDateTime(from.UtcDateTime), DateOnly.FromDateTime(to.UtcDateTime), cancellationToken).ConfigureAwait(false))
                .Select(d => (At: new DateTimeOffset(d.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), Latency: (IReadOnlyDictionary<string, LatencyHistogram>?)d.Regions));

        // Rows are merged into buckets of the step counted from the epoch, so any step works and
        // merging is exact (histogram counts add).
        var merged = new SortedDictionary<(long Bucket, string Region), LatencyHistogram>();
        foreach (var (at, latency) in steps)
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

    /// <summary>The monitor's time from the month of <paramref name="from"/> up to now.</summary>
    private async Task<UptimeTally> TallyAsync(string monitorId, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var monitorTask = monitors.GetAsync(monitorId, cancellationToken);
        var everyoneTask = store.ReadAsync(UptimeStore.Deployment, from, cancellationToken);
        var records = await store.ReadAsync(monitorId, from, cancellationToken).ConfigureAwait(false);
        var everyone = await everyoneTask.ConfigureAwait(false);
        var monitor = await monitorTask.ConfigureAwait(false);
        var now = Span.Seconds(time.GetUtcNow());
        if (monitor is null)
        {
            return new UptimeTally(now, now, SpanSet.Empty, SpanSet.Empty, SpanSet.Empty);
        }

        var down = records.Of(UptimeKind.Down);
        if (records.OutageSince is { } outage)
        {
            down = down.Union(SpanSet.Of(new Span(outage, now)));
        }

        // A monitor paused before its pauses were recorded: paused since its last change, as far as anyone can tell.
        var pausedSince = records.PausedSince ?? (monitor.Definition.Paused ? Span.Seconds(monitor.UpdatedAt) : null);
        var maintenance = records.Of(UptimeKind.Maintenance);
        if (pausedSince is { } paused)
        {
            maintenance = maintenance.Union(SpanSet.Of(new Span(paused, now)));
        }

        var suppressed = records.Of(UptimeKind.Suppressed).Union(everyone.Of(UptimeKind.Suppressed));
        return new UptimeTally(Span.Seconds(monitor.CreatedAt), now, down, suppressed, maintenance);
    }
}
