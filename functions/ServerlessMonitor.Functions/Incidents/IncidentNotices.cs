using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Functions.Incidents;

/// <summary>
/// What the rest of the app tells incidents (DESIGN.md, data flow 3 → 4): the verdict step's
/// verdicts — a failing one with no open incident starts <c>incident-&lt;monitorId&gt;</c>, later
/// ones are raised to it — and a monitor paused or deleted, which ends its incident quietly.
/// The recheck flags double as the index of open incidents: a monitor is flagged from its first
/// failing verdict until its incident ends, so passing monitors (nearly all) cost nothing here.
/// A minute's verdicts are about different monitors, so several are handed over at once.
/// </summary>
public sealed class IncidentNotices(DurableTaskClient client, RecheckStore rechecks, SchedulingClock clock) : IVerdictHandoff
{
    /// <summary>Verdicts handed over at once: each is a few requests to the task hub.</summary>
    private const int Concurrency = 16;

    public async Task HandOffAsync(IReadOnlyList<MonitorVerdict> verdicts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var flagged = await rechecks.ListAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            verdicts.Where(v => v.Outcome == VerdictOutcome.Fail || flagged.Contains(v.MonitorId)),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            (verdict, ct) => new ValueTask(HandOffAsync(verdict, flagged.Contains(verdict.MonitorId), ct))).ConfigureAwait(false);
    }

    /// <summary>Ends the monitor's incident without a recovery notice; a flag with no incident behind it goes.</summary>
    public async Task EndQuietlyAsync(string monitorId, QuietEnd end, CancellationToken cancellationToken)
    {
        var change = new MonitorChanged(end == QuietEnd.Paused ? Core.Incidents.MonitorChange.Paused : Core.Incidents.MonitorChange.Deleted);
        if (!await RaiseAsync(client, monitorId, change, cancellationToken).ConfigureAwait(false))
        {
            await rechecks.UnflagAsync(monitorId, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandOffAsync(MonitorVerdict verdict, bool flagged, CancellationToken cancellationToken)
    {
        var news = new VerdictArrived(verdict.Minute, verdict.Outcome, verdict.Regions);
        if (flagged && await RaiseAsync(client, verdict.MonitorId, news, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (verdict.Outcome != VerdictOutcome.Fail)
        {
            // Flagged, but no incident runs: a flag left behind, or an incident that just ended.
            await rechecks.UnflagAsync(verdict.MonitorId, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Flag first: the next cycle rechecks from every region even if the start below is slow.
        var at = clock.StartOf(verdict.Minute);
        await rechecks.FlagAsync(verdict.MonitorId, at, cancellationToken).ConfigureAwait(false);
        var start = new IncidentStart(IncidentIds.Of(verdict.MonitorId, verdict.Minute), verdict.MonitorId, verdict.Minute, at, verdict.Regions);
        var input = new IncidentInput(clock.MinuteLength.TotalMilliseconds, IncidentInput.DefaultTurnsPerExecution, start, null);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(IncidentOrchestrator.Name, input, new StartOrchestrationOptions(IncidentOrchestrator.InstanceId(verdict.MonitorId)), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already running (a second start, or a flag lost): the running incident gets the news.
            await RaiseAsync(client, verdict.MonitorId, news, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>False when no incident of the monitor runs to take it (an event raised to a finished one would be dropped).</summary>
    internal static async Task<bool> RaiseAsync(DurableTaskClient client, string monitorId, IncidentEvent news, CancellationToken cancellationToken)
    {
        var id = IncidentOrchestrator.InstanceId(monitorId);
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (instance is not { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended })
        {
            return false;
        }

        await client.RaiseEventAsync(id, IncidentOrchestrator.NewsEvent, news, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
