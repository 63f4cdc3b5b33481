using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Retention;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Functions.Retention;

/// <summary>Queue trigger of retention-rounds: the next round of a retention run that had more to do.</summary>
public sealed class RetentionRoundFunction(RetentionRounds rounds, ILogger<RetentionRoundFunction> logger)
{
    [Function("retention-round")]
    public async Task Run([QueueTrigger(StorageNames.RetentionRounds)] string message, CancellationToken cancellationToken)
    {
        if (RetentionQueue.Parse(message) is not { } round)
        {
            // Not ours or damaged: throwing would only move it to the poison queue five tries later.
            logger.LogWarning("retention-round: dropping a malformed message");
            return;
        }

        await rounds.RunAsync(round, cancellationToken).ConfigureAwait(false);
    }
}
