using Azure.Data.Tables;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Table Storage transactions hold at most 100 operations, all in one partition: the stores
/// group their writes and deletes by partition and cut them into such batches.
/// </summary>
internal static class TableBatches
{
    public const int MaxOperations = 100;

    /// <summary>Submits the actions, grouped by partition, ≤ 100 per transaction; returns how many transactions it took.</summary>
    public static async Task<int> SubmitAsync(TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var batches = actions
            .GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition.Chunk(MaxOperations))
            .ToList();
        await Task.WhenAll(batches.Select(batch => table.SubmitTransactionAsync(batch, cancellationToken))).ConfigureAwait(false);
        return batches.Count;
    }

    /// <summary>Deletes every row the filter selects; returns how many.</summary>
    public static async Task<int> DeleteAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var doomed = new List<TableTransactionAction>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            doomed.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, Azure.ETag.All));
        }

        await SubmitAsync(table, doomed, cancellationToken).ConfigureAwait(false);
        return doomed.Count;
    }

    /// <summary>
    /// Deletes at most <paramref name="max"/> of the rows the filter selects and answers how many
    /// it found: fewer than <paramref name="max"/> means none is left. Rows another run deleted
    /// meanwhile are no failure, so two runs (or a rerun after a stop) may overlap.
    /// </summary>
    public static async Task<int> DeleteSomeAsync(TableClient table, string filter, int max, CancellationToken cancellationToken)
    {
        var found = await KeysAsync(table, filter, max, cancellationToken).ConfigureAwait(false);
        foreach (var batch in found.GroupBy(e => e.PartitionKey, StringComparer.Ordinal).SelectMany(p => p.Chunk(MaxOperations)))
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, Azure.ETag.All)), cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // One of them is gone already, which fails the whole transaction: one at a time then
                // (the SDK answers a missing row with its 404 response instead of throwing).
                foreach (var row in batch)
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, Azure.ETag.All, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return found.Count;
    }

    /// <summary>The keys (and ETags) of at most <paramref name="max"/> rows the filter selects, plus any <paramref name="columns"/>.</summary>
    public static async Task<IReadOnlyList<TableEntity>> KeysAsync(TableClient table, string filter, int max, CancellationToken cancellationToken, params string[] columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var found = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), select: ["PartitionKey", "RowKey", .. columns], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.Add(row);
            if (found.Count >= max)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Deletes each row that is unchanged since read (a few at a time); answers how many went.</summary>
    public static async Task<int> DeleteEachIfUnchangedAsync(TableClient table, IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            if (await DeleteIfUnchangedAsync(table, row, ct).ConfigureAwait(false))
            {
                Interlocked.Increment(ref deleted);
            }
        }).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Deletes a row if it is unchanged since read; false when it changed or went meanwhile.</summary>
    public static async Task<bool> DeleteIfUnchangedAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (Azure.RequestFailedException e) when (e.IsStale() || e.IsNotFound())
        {
            return false;
        }
    }
}
