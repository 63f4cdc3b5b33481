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
}
