using Azure;
using Azure.Data.Tables;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Monitors under recheck, in table <c>rechecks</c>: one partition, RowKey the monitor id, so a
/// cycle reads every flag with one query. A flagged monitor is due every minute in every region
/// (DueMonitors), from its first failing verdict until its incident ends.
/// </summary>
public sealed class RecheckStore(StorageClients clients)
{
    private const string Partition = "recheck";

    private TableClient Table => clients.Table(StorageNames.Rechecks);

    /// <summary>Idempotent: flagging a flagged monitor keeps it flagged.</summary>
    public async Task FlagAsync(string monitorId, DateTimeOffset since, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(new TableEntity(Partition, KeyPart.Checked(monitorId, nameof(monitorId))) { ["Since"] = since }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

    /// <summary>Idempotent: unflagging a monitor that is not flagged does nothing.</summary>
    public async Task UnflagAsync(string monitorId, CancellationToken cancellationToken) =>
        // The SDK answers a missing row with its 404 response instead of throwing.
        await Table.DeleteEntityAsync(Partition, KeyPart.Checked(monitorId, nameof(monitorId)), ETag.All, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlySet<string>> ListAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            ids.Add(row.RowKey);
        }

        return ids;
    }
}
