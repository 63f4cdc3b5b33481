using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Retention;

/// <summary>
/// Runs a round of retention and, when it had more to do than a round may, queues the next one
/// on retention-rounds, so a large backlog is worked off in rounds that each end well inside the
/// function timeout. A runaway chain (rows that stay due but cannot be deleted) ends at
/// <see cref="MaxRounds"/>; the next day's run starts again.
/// </summary>
public sealed class RetentionRounds(Pruner pruner, RetentionQueue queue, ILogger<RetentionRounds> logger)
{
    public const int MaxRounds = 200;

    /// <summary>A moment between rounds: other work of the storage account goes first.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    public async Task RunAsync(int round, CancellationToken cancellationToken)
    {
        var report = await pruner.RunAsync(Pruner.RowsPerRound, cancellationToken).ConfigureAwait(false);
        if (report.Finished)
        {
            return;
        }

        if (round >= MaxRounds)
        {
            logger.LogError("retention: still more to do after {Rounds} rounds; stopping until tomorrow's run", round);
            return;
        }

        await queue.ScheduleAsync(round + 1, Pause, cancellationToken).ConfigureAwait(false);
    }
}
