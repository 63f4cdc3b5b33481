using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Functions.Incidents;

namespace ServerlessMonitor.Functions.Cycle;

/// <summary>
/// Every minute, in every region but the primary: is the primary's verdict step still running?
/// If it has not for three minutes, no verdict (so no incident) is being decided anywhere: this
/// says so in the log, GET /api/health shows it (regions.verdictOverdue), and the "verdict step
/// not running" incident tells the operator (SM_OPERATOR_EMAIL), then its recovery once the step
/// runs again. Every watching region feeds the same incident; the first start wins and the same
/// minute from another region is old news to it.
/// </summary>
public sealed class VerdictWatchFunction(RegionOverview overview, CycleTiming timing, MonitorConfig config, ILogger<VerdictWatchFunction> logger)
{
    [Function("verdict-watch")]
    public async Task Run([TimerTrigger("55 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (config.IsPrimary)
        {
            return;
        }

        var verdict = await overview.VerdictAsync(cancellationToken).ConfigureAwait(false);
        if (verdict.Overdue)
        {
            logger.LogError(
                "the verdict step in {Primary} has not run since {VerdictAt}: no verdicts are being decided",
                config.PrimaryRegion,
                verdict.Mark?.At.ToString("O") ?? "the start");
        }

        var self = SelfSubjects.OfVerdictStep(verdict, timing.Clock.CurrentMinute);
        await new SelfNotices(client, timing.Clock, config).HandOffAsync([self], cancellationToken).ConfigureAwait(false);
    }
}
