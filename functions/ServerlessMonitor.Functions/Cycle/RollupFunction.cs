using Microsoft.Azure.Functions.Worker;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Functions.Cycle;

/// <summary>Five minutes past every hour, in the primary region: the previous hour's rollups, and retention of results and rollups.</summary>
public sealed class RollupFunction(ResultRollup rollup, CycleTiming timing, MonitorConfig config)
{
    [Function("results-rollup")]
    public async Task Run([TimerTrigger("0 5 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (config.IsPrimary)
        {
            await rollup.RunAsync(ResultRollup.PreviousHour(timing.Clock.MinuteOf(timing.Clock.Now)), cancellationToken).ConfigureAwait(false);
        }
    }
}
