using Microsoft.Extensions.Logging;

namespace ServerlessMonitor.Core.Storage;

/// <summary>Whether this instance can reach Table Storage now (GET /api/health).</summary>
public sealed class StorageHealth(StorageClients clients, ILogger<StorageHealth> logger)
{
    /// <summary>How long a ping may take before storage counts as unreachable.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            // One page of at most one table: the cheapest call that proves access to the table service.
            await using var pages = clients.Tables.QueryAsync(maxPerPage: 1, cancellationToken: cts.Token).AsPages().GetAsyncEnumerator(cts.Token);
            await pages.MoveNextAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("storage unreachable: {Error}", e.Message);
            return false;
        }
    }
}
