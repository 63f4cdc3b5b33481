using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Functions.Cycle;

/// <summary>
/// Every minute, in every region but the primary: is the primary's verdict step still running?
/// If it has not for three minutes, no verdict (so no incident) is being decided anywhere; this
/// says so in the log, and GET /api/health shows it (regions.verdictOverdue).
/// </summary>
public sealed class VerdictWatchFunction(RegionOverview overview, MonitorConfig config, ILogger<VerdictWatchFunction> logger)
{
    [Function("verdict-watch")]
    public async Task Run([TimerTrigger("55 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
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
    }
}
