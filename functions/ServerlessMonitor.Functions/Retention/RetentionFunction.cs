using Microsoft.Azure.Functions.Worker;
using ServerlessMonitor.Core.Retention;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Functions.Retention;

/// <summary>
/// Daily at 03:17 UTC, in the primary region (the tables are the deployment's, one run is
/// enough): the first round of retention; further rounds follow on retention-rounds.
/// </summary>
public sealed class RetentionFunction(RetentionRounds rounds, MonitorConfig config)
{
    [Function("retention")]
    public async Task Run([TimerTrigger("0 17 3 * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (config.IsPrimary)
        {
            await rounds.RunAsync(1, cancellationToken).ConfigureAwait(false);
        }
    }
}
