using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// One region's probe cycle (DESIGN.md, Probe), run by its timer every minute: note the
/// heartbeat, claim the minute (a repeated run finds the claim and probes nothing), select the
/// due monitors, fan out what exceeds the budget, probe the rest and the canaries under the
/// deadline, and record how it went for the verdict step.
/// </summary>
public sealed class ProbeCycle(
    MonitorStore monitors,
    RecheckStore rechecks,
    CycleStore cycles,
    RegionStore regions,
    BatchProber prober,
    ProbeShards shards,
    CanaryChecker canaries,
    CycleTiming timing,
    MonitorConfig config,
    DnsblConfig dnsbl,
    ResultStore results,
    ILogger<ProbeCycle> logger)
{
    /// <summary>Runs the cycle of <paramref name="minute"/>; null when it did not run (too late, or it already ran).</summary>
    public async Task<CycleHealth?> RunAsync(long minute, CancellationToken cancellationToken)
    {
        var started = timing.Clock.Now;
        var minuteAt = timing.Clock.StartOf(minute);
        var lag = started > minuteAt ? started - minuteAt : TimeSpan.Zero;
        var deadline = timing.DeadlineOf(minute);
        await regions.WriteHeartbeatAsync(new RegionHeartbeat(config.Region, minute, started, lag), cancellationToken).ConfigureAwait(false);
        if (started >= deadline)
        {
            logger.LogWarning("cycle {Minute} skipped: the timer ran {Lag} after its minute began, past the deadline", minute, lag);
            return null;
        }

        if (!await cycles.ClaimAsync(config.Region, minute, started, cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("cycle {Minute} already ran in {Region}", minute, config.Region);
            return null;
        }

        var canaryChecks = canaries.CheckAsync(deadline, cancellationToken);
        var flagged = await rechecks.ListAsync(cancellationToken).ConfigureAwait(false);
        var header = new ProbeBatch(config.Region, minute, minuteAt, deadline, "main", []);
        var fanOut = shards.Open(header, cancellationToken);
        var own = new List<ProbeJob>();
        Task<BatchReport>? probing = null;
        var due = 0;

        // The scan streams: the first SM_CYCLE_BUDGET due monitors are this instance's, probed as
        // soon as they are known, and the rest leave in shards as each fills, while later pages of
        // the monitor table are still being read.
        await foreach (var page in monitors.ListScheduledAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var monitor in page)
            {
                if (!await IsDueAsync(monitor, minute, flagged, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                due++;
                if (own.Count < config.CycleBudget)
                {
                    own.Add(ProbeJob.Of(monitor));
                }
                else
                {
                    fanOut.Add(ProbeJob.Of(monitor));
                }
            }

            if (probing is null && own.Count >= config.CycleBudget)
            {
                probing = ProbeOwnAsync(header, own, cancellationToken);
            }
        }

        probing ??= ProbeOwnAsync(header, own, cancellationToken);
        var shardCount = await fanOut.CompleteAsync().ConfigureAwait(false);
        var report = await probing.ConfigureAwait(false);
        var health = new CycleHealth(config.Region, minute, minuteAt, started, timing.Clock.Now, lag, due, report.Probed, report.Skipped, shardCount, await canaryChecks.ConfigureAwait(false));
        await cycles.WriteHealthAsync(health, cancellationToken).ConfigureAwait(false);
        logger.LogInformation(
            "cycle {Minute} in {Region}: {Due} due, {Probed} probed, {Skipped} skipped, {Shards} shards, {Transactions} result transactions, {Duration} ms, lag {Lag} ms",
            minute,
            config.Region,
            due,
            report.Probed,
            report.Skipped,
            shardCount,
            report.Transactions,
            health.Duration.TotalMilliseconds,
            lag.TotalMilliseconds);
        return health;
    }

    /// <summary>This instance's own share, grouped by result partition so its writes fill transactions.</summary>
    private Task<BatchReport> ProbeOwnAsync(ProbeBatch header, List<ProbeJob> own, CancellationToken cancellationToken) =>
        prober.ProbeAsync(header with { Jobs = [.. ProbeShards.InPartitionOrder(own)] }, cancellationToken);

    /// <summary>Whether a monitor is due in this region this minute: by interval and offset, or flagged.</summary>
    private async Task<bool> IsDueAsync(ScheduledMonitor monitor, long minute, IReadOnlySet<string> flagged, CancellationToken cancellationToken) =>
        monitor.Type == ProbeType.Dnsbl
            ? await IsDnsblDueAsync(monitor, minute, flagged, cancellationToken).ConfigureAwait(false)
            : DueMonitors.IsDue(new MonitorSchedule(monitor.Id, monitor.IntervalMinutes, monitor.Regions, monitor.Paused), minute, config.Region, flagged);

    /// <summary>
    /// A dnsbl monitor's own schedule (<see cref="DnsblSchedule"/>): long intervals, one region,
    /// the next region the minute after when the first one's check learnt nothing. That takes one
    /// read of the first region's result, only in those minutes.
    /// </summary>
    private async Task<bool> IsDnsblDueAsync(ScheduledMonitor monitor, long minute, IReadOnlySet<string> flagged, CancellationToken cancellationToken)
    {
        var plan = new DnsblPlan(monitor.Id, monitor.IntervalMinutes, monitor.Regions ?? config.Regions, monitor.Paused, timing.Clock.MinuteOf(monitor.CreatedAt), flagged.Contains(monitor.Id), dnsbl.RecheckMinutes);
        switch (DnsblSchedule.TurnOf(plan, minute, config.Region))
        {
            case DnsblTurn.Check:
                return true;
            case DnsblTurn.CheckIfFirstLearntNothing:
                var first = DnsblSchedule.RegionOrder(monitor.Id, plan.Regions)[0];
                var at = timing.Clock.StartOf(minute - 1);
                var found = await results.RangeAsync(monitor.Id, at, at, first, 1, cancellationToken).ConfigureAwait(false);
                return found.Count == 0 || DnsblOutcome.IsNoInformation(found[0].Probe.Error);
            default:
                return false;
        }
    }
}
