using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Writes results while probing goes on: buffered per partition, each partition's buffer sent as
/// soon as it fills a transaction (100 rows), the rest when probing ends. A failed write is
/// logged and counted; it must not stop the probing, and the outcomes still reach the verdict.
/// </summary>
internal sealed class ResultWriter(ResultStore store, ILogger logger, CancellationToken cancellationToken)
{
    private const int FullBatch = 100;

    private readonly Dictionary<string, List<CycleResult>> buffers = new(StringComparer.Ordinal);
    private readonly List<Task> writes = [];
    private int unwritten;
    private int transactions;

    public void Add(CycleResult result)
    {
        List<CycleResult>? full = null;
        lock (buffers)
        {
            var partition = result.Key.PartitionKey;
            if (!buffers.TryGetValue(partition, out var buffer))
            {
                buffers[partition] = buffer = [];
            }

            buffer.Add(result);
            if (buffer.Count >= FullBatch)
            {
                buffers.Remove(partition);
                full = buffer;
            }
        }

        if (full is not null)
        {
            Flush(full);
        }
    }

    /// <summary>Writes what is left and waits for every write: (results unwritten, transactions).</summary>
    public async Task<(int Unwritten, int Transactions)> CloseAsync()
    {
        List<List<CycleResult>> rest;
        lock (buffers)
        {
            rest = [.. buffers.Values];
            buffers.Clear();
        }

        foreach (var buffer in rest)
        {
            Flush(buffer);
        }

        Task[] pending;
        lock (writes)
        {
            pending = [.. writes];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        return (unwritten, transactions);
    }

    private void Flush(List<CycleResult> results)
    {
        var write = WriteAsync(results);
        lock (writes)
        {
            writes.Add(write);
        }
    }

    private async Task WriteAsync(List<CycleResult> results)
    {
        try
        {
            Interlocked.Add(ref transactions, await store.WriteAsync(results, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Add(ref unwritten, results.Count);
            logger.LogError(e, "writing {Count} results failed", results.Count);
        }
    }
}
