using Azure.Data.Tables;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Who is alive, in table <c>regions</c>, one row each, overwritten in place (nothing grows):
/// <code>
///   PartitionKey "heartbeat"  RowKey &lt;region&gt;   the region's latest cycle timer run
///   PartitionKey "verdict"    RowKey "latest"     the verdict step's latest run
/// </code>
/// The verdict step reads the heartbeats to find silent regions; the other regions read the
/// verdict mark to find a silent verdict step.
/// </summary>
public sealed class RegionStore(StorageClients clients)
{
    private const string Heartbeats = "heartbeat";
    private const string Verdicts = "verdict";
    private const string LatestVerdict = "latest";

    private TableClient Table => clients.Table(StorageNames.Regions);

    public async Task WriteHeartbeatAsync(RegionHeartbeat beat, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(
            new TableEntity(Heartbeats, KeyPart.Checked(beat.Region, nameof(beat))) { ["Minute"] = beat.Minute, ["At"] = beat.At, ["LagMs"] = beat.Lag.TotalMilliseconds },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);

    /// <summary>Every region's latest heartbeat, by region name.</summary>
    public async Task<IReadOnlyDictionary<string, RegionHeartbeat>> HeartbeatsAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, RegionHeartbeat>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Heartbeats}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found[row.RowKey] = new RegionHeartbeat(row.RowKey, row.GetInt64("Minute") ?? 0, row.GetDateTimeOffset("At") ?? default, TimeSpan.FromMilliseconds(row.GetDouble("LagMs") ?? 0));
        }

        return found;
    }

    public async Task WriteVerdictMarkAsync(VerdictMark mark, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(
            new TableEntity(Verdicts, LatestVerdict) { ["Region"] = mark.Region, ["Minute"] = mark.Minute, ["At"] = mark.At },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);

    /// <summary>The verdict step's latest run; null before its first.</summary>
    public async Task<VerdictMark?> VerdictMarkAsync(CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Verdicts, LatestVerdict, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? new VerdictMark(e.GetString("Region") ?? string.Empty, e.GetInt64("Minute") ?? 0, e.GetDateTimeOffset("At") ?? default) : null;
    }
}
