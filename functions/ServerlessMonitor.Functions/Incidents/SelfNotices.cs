using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Functions.Incidents;

/// <summary>
/// Hands the deployment's verdicts about itself (<see cref="SelfVerdict"/>) to incidents, as
/// <see cref="IncidentNotices"/> does a monitor's: a failing one with no open incident starts
/// <c>incident-self-…</c>, and any verdict of an open one is raised to it. A healthy subject with
/// nothing open costs one instance read and starts nothing. Without SM_OPERATOR_EMAIL nothing is
/// handed over: the verdict step and the verdict watch only log.
/// </summary>
public sealed class SelfNotices(DurableTaskClient client, SchedulingClock clock, MonitorConfig config)
{
    public async Task HandOffAsync(IReadOnlyList<SelfVerdict> verdicts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        if (config.OperatorEmail is null)
        {
            return;
        }

        foreach (var verdict in verdicts)
        {
            await HandOffAsync(verdict, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandOffAsync(SelfVerdict verdict, CancellationToken cancellationToken)
    {
        var id = verdict.Subject.Id;
        var news = new VerdictArrived(verdict.Minute, verdict.Outcome, verdict.Regions);
        if (await IncidentNotices.RaiseAsync(client, id, news, cancellationToken).ConfigureAwait(false) || verdict.Outcome != VerdictOutcome.Fail)
        {
            return;
        }

        var at = clock.StartOf(verdict.Minute);
        var start = new IncidentStart(IncidentIds.Of(id, verdict.Minute), id, verdict.Minute, at, verdict.Regions);
        var input = new IncidentInput(clock.MinuteLength.TotalMilliseconds, IncidentInput.DefaultTurnsPerExecution, start, null);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(IncidentOrchestrator.Name, input, new StartOrchestrationOptions(IncidentOrchestrator.InstanceId(id)), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Started meanwhile (another region's watch saw the same): the running incident gets the news.
            await IncidentNotices.RaiseAsync(client, id, news, cancellationToken).ConfigureAwait(false);
        }
    }
}
