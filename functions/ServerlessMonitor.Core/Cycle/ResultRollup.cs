using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// History that stays cheap (docs/RESULTS.md): once an hour the primary rolls the previous hour's
/// raw results of every monitor into one row each, deletes raw results older than
/// <see cref="RawRetentionMinutes"/> and, once a day, rollups older than
/// <see cref="RollupStore.Retention"/>. Hours and days are of scheduling minutes, so retention
/// shrinks with SM_MINUTE_SECONDS like every other schedule.
/// </summary>
public sealed class ResultRollup(MonitorStore monitors, ResultStore results, RollupStore rollups, UptimeStore uptime, CycleTiming timing, ILogger<ResultRollup> logger)
{
    /// <summary>Raw results are kept seven days.</summary>
    public const int RawRetentionMinutes = 7 * 24 * 60;

    private const int MinutesPerHour = 60;
    private const int Concurrency = 16;

    /// <summary>More results than a monitor can have in an hour (60 minutes × 20 regions, and then some).</summary>
    private const int HourLimit = 5000;

    /// <summary>The hour (index in scheduling hours) that ended before <paramref name="minute"/>'s hour began.</summary>
    public static long PreviousHour(long minute) => Math.Max(0, (minute / MinutesPerHour) - 1);

    /// <summary>Rolls up <paramref name="hour"/> for every monitor and enforces retention; returns how many rollups were written.</summary>
    public async Task<int> RunAsync(long hour, CancellationToken cancellationToken)
    {
        var clock = timing.Clock;
        var from = clock.StartOf(hour * MinutesPerHour);
        var to = clock.StartOf((hour + 1) * MinutesPerHour).AddMilliseconds(-1);
        var rawCutoff = from - timing.Minutes(RawRetentionMinutes);
        var rollupCutoff = from - timing.Minutes(RollupStore.Retention / TimeSpan.FromMinutes(1));
        var pruneRollups = hour % 24 == 0;

        var ids = new List<string>();
        await foreach (var page in monitors.ListScheduledAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.AddRange(page.Select(m => m.Id));
        }

        var made = new ConcurrentBag<HourRollup>();
        var deleted = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            var hourResults = await results.RangeAsync(id, from, to, null, HourLimit, ct).ConfigureAwait(false);
            if (hourResults.Count > 0)
            {
                made.Add(HourRollup.Of(id, from, hourResults));
            }

            if (rawCutoff > DateTimeOffset.UnixEpoch)
            {
                Interlocked.Add(ref deleted, await results.DeleteBeforeAsync(id, rawCutoff, ct).ConfigureAwait(false));
            }

            if (pruneRollups && rollupCutoff > DateTimeOffset.UnixEpoch)
            {
                await rollups.DeleteBeforeAsync(id, rollupCutoff, ct).ConfigureAwait(false);
                await uptime.DeleteBeforeAsync(id, rollupCutoff, ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        if (pruneRollups && rollupCutoff > DateTimeOffset.UnixEpoch)
        {
            await uptime.DeleteBeforeAsync(UptimeStore.Deployment, rollupCutoff, cancellationToken).ConfigureAwait(false);
        }

        await rollups.WriteAsync(made, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(made, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, (rollup, ct) => new ValueTask(FoldDayAsync(rollup, ct))).ConfigureAwait(false);
        logger.LogInformation("hour {Hour:O} rolled up: {Monitors} monitors, {Rollups} rollups, {Deleted} old results deleted", from, ids.Count, made.Count, deleted);
        return made.Count;
    }

    /// <summary>
    /// The UTC day of <paramref name="hour"/> again, from all its hourly rows: rolling an hour up a
    /// second time writes the same day.
    /// </summary>
    private async Task FoldDayAsync(HourRollup hour, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(hour.Hour.UtcDateTime);
        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var hours = await rollups.RangeAsync(hour.MonitorId, dayStart, dayStart.AddDays(1).AddMilliseconds(-1), cancellationToken).ConfigureAwait(false);
        var regions = new Dictionary<string, LatencyHistogram>(StringComparer.Ordinal);
        foreach (var (region, histogram) in hours.SelectMany(h => h.Latency ?? new Dictionary<string, LatencyHistogram>()))
        {
            regions[region] = regions.TryGetValue(region, out var sum) ? sum.Merge(histogram) : histogram;
        }

        await uptime.WriteLatencyDayAsync(hour.MonitorId, new LatencyDay(day, regions), cancellationToken).ConfigureAwait(false);
    }
}
