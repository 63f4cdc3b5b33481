using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Functions.Incidents;

namespace ServerlessMonitor.Functions.Cycle;

/// <summary>
/// At second 50 of every minute, in the primary region only: the verdict across regions, then
/// the hand-off of each decided minute's verdicts to incidents (<see cref="IncidentNotices"/>),
/// and to any other <see cref="IVerdictHandoff"/> the host registers; then how the regions
/// themselves stand, to the deployment's own incidents (<see cref="SelfNotices"/>).
/// </summary>
public sealed class VerdictFunction(VerdictStep step, CycleTiming timing, MonitorConfig config, RecheckStore rechecks, IEnumerable<IVerdictHandoff> handoffs, ILogger<VerdictFunction> logger)
{
    [Function("cycle-verdict")]
    public async Task Run([TimerTrigger("50 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!config.IsPrimary)
        {
            return;
        }

        var runMinute = timing.Clock.MinuteOf(timing.Clock.Now);
        foreach (var decision in await step.RunAsync(runMinute, cancellationToken).ConfigureAwait(false))
        {
            if (decision.Verdicts.Count == 0)
            {
                continue;
            }

            foreach (var handoff in handoffs.Prepend(new IncidentNotices(client, rechecks, timing.Clock)))
            {
                try
                {
                    await handoff.HandOffAsync(decision.Verdicts, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The minute is decided and stays so: the next minute's verdicts carry the news.
                    logger.LogError(e, "handing off the verdicts of minute {Minute} failed", decision.Minute);
                }
            }
        }

        await new SelfNotices(client, timing.Clock, config).HandOffAsync(await step.ReportRegionsAsync(runMinute, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}
