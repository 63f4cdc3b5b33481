using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// The verdict step (DESIGN.md, Decide), run by the primary region's timer at second 50: every
/// region's cycle ends by second 45, so each region that is going to report has. For each
/// minute it has not decided it reads the cycle's partition once, marks the minute decided (at
/// most once, whatever runs race for it), decides with <see cref="VerdictRules"/>, writes the
/// monitors' states that changed (<see cref="MonitorStates"/>), records each region's standing,
/// and sends the certificate warnings the cycle brought (<see cref="CertificateNotices"/>). It
/// never reads every monitor: what it compares the verdicts with came with the cycle's outcomes
/// (<see cref="CycleRecord.Scanned"/>), so its storage work grows with the changes, not with the
/// monitors. The caller then hands the
/// verdicts over, and asks <see cref="ReportRegionsAsync"/> how the regions themselves stand. A
/// region that has not reported by then is absent, which never fails a monitor.
/// </summary>
public sealed class VerdictStep(
    CycleStore cycles,
    RegionStore regions,
    MonitorStates states,
    CertificateNotices certificates,
    RegionOverview overview,
    CycleTiming timing,
    MonitorConfig config,
    ILogger<VerdictStep> logger)
{
    /// <summary>
    /// Decides the run's minute and the one before it (one more query when, as usual, no run was
    /// missed). A run so late that its minute index moved on decides the minute before, never a
    /// cycle still running. Returns the minutes this run decided.
    /// </summary>
    public async Task<IReadOnlyList<CycleDecision>> RunAsync(long runMinute, CancellationToken cancellationToken)
    {
        var now = timing.Clock.Now;
        var latest = LatestOf(runMinute, now);
        var decided = new List<CycleDecision>();
        foreach (var minute in new[] { latest - 1, latest })
        {
            if (await DecideAsync(minute, cancellationToken).ConfigureAwait(false) is { } decision)
            {
                decided.Add(decision);
            }
        }

        await regions.WriteVerdictMarkAsync(new VerdictMark(config.Region, latest, now), cancellationToken).ConfigureAwait(false);
        await ForgetAsync(latest, cancellationToken).ConfigureAwait(false);
        return decided;
    }

    /// <summary>Decides one minute once; null when it was decided already.</summary>
    public async Task<CycleDecision?> DecideAsync(long minute, CancellationToken cancellationToken)
    {
        var cycle = await cycles.ReadAsync(minute, cancellationToken).ConfigureAwait(false);
        // At most once: a verdict lost to a crash costs a minute; one handed over twice could alert twice.
        if (cycle.Decided || !await cycles.MarkDecidedAsync(minute, timing.Clock.Now, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var reports = cycle.Reports();
        var decision = VerdictRules.Decide(minute, reports);
        var minuteAt = timing.Clock.StartOf(minute);

        // What the cycle's scans found of the monitor rows serves both: which states changed, which warnings are news.
        var scanned = cycle.Scanned();
        var changes = await states.RecordAsync(minute, decision.Verdicts, scanned, minuteAt, cancellationToken).ConfigureAwait(false);
        foreach (var region in decision.Regions)
        {
            var health = cycle.Health.GetValueOrDefault(region.Region);
            await cycles.WriteLatestAsync(
                new RegionLatest(region.Region, minute, minuteAt, region.Stats, region.Trusted, region.Reason, health?.Lag ?? TimeSpan.Zero, health?.Duration ?? TimeSpan.Zero),
                cancellationToken).ConfigureAwait(false);
        }

        Log(decision, changes.Count);

        // Rare (once per certificate), and never in the way: a failing notice is logged and retried next minute.
        await certificates.RunAsync(reports, scanned, cancellationToken).ConfigureAwait(false);
        return decision with { Changes = changes };
    }

    private void Log(CycleDecision decision, int changed)
    {
        var counts = decision.Verdicts.GroupBy(v => v.Outcome).ToDictionary(g => g.Key, g => g.Count());
        logger.LogInformation(
            "verdicts of minute {Minute}: {Pass} pass, {Fail} fail, {Suppressed} suppressed, {Unknown} unknown; {Changed} states changed",
            decision.Minute,
            counts.GetValueOrDefault(VerdictOutcome.Pass),
            counts.GetValueOrDefault(VerdictOutcome.Fail),
            counts.GetValueOrDefault(VerdictOutcome.Suppressed),
            counts.GetValueOrDefault(VerdictOutcome.Unknown),
            changed);
        if (decision.SuppressionReason is { } reason)
        {
            logger.LogWarning("cycle {Minute} suppressed: {Reason}", decision.Minute, reason);
        }

        foreach (var region in decision.Regions.Where(r => !r.Trusted))
        {
            logger.LogWarning("region {Region} not trusted in cycle {Minute}: {Reason}", region.Region, decision.Minute, region.Reason);
        }
    }

    /// <summary>
    /// Watching ourselves, after <see cref="RunAsync"/> of the same <paramref name="runMinute"/>:
    /// reads every region's heartbeat and standing, logs the silent ones (their cycles are missing
    /// from every verdict since), and answers each region's silent and untrusted verdicts
    /// (<see cref="SelfSubjects.OfRegions"/>) for the caller to hand to their incidents.
    /// </summary>
    public async Task<IReadOnlyList<SelfVerdict>> ReportRegionsAsync(long runMinute, CancellationToken cancellationToken)
    {
        var latest = LatestOf(runMinute, timing.Clock.Now);
        var regionsNow = await overview.RegionsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var region in regionsNow.Where(r => r.Silent))
        {
            logger.LogError("region {Region} is silent: no cycle timer run since {LastHeartbeatAt}", region.Name, region.LastHeartbeatAt?.ToString("O") ?? "its start");
        }

        return SelfSubjects.OfRegions(regionsNow, latest);
    }

    /// <summary>The latest minute a run may decide: never a cycle still before its deadline.</summary>
    private long LatestOf(long runMinute, DateTimeOffset now) => now >= timing.DeadlineOf(runMinute) ? runMinute : runMinute - 1;

    /// <summary>
    /// Retention of the cycles table: a cycle is kept an hour of scheduling minutes after it was
    /// decided, then deleted whole; like the deciding, the minute before is covered too.
    /// </summary>
    private async Task ForgetAsync(long latest, CancellationToken cancellationToken)
    {
        var old = latest - (long)(CycleStore.Retention / TimeSpan.FromMinutes(1));
        foreach (var minute in new[] { old - 1, old }.Where(m => m >= 0))
        {
            try
            {
                await cycles.DeleteAsync(minute, cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException e)
            {
                logger.LogWarning("deleting cycle {Minute} failed: {Error}", minute, e.Message);
            }
        }
    }
}
