using System.Text.Json;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Hourly rollups, in table <c>rollups</c>, laid out like the results: PartitionKey the monitor's
/// bucket (<see cref="ResultKey.BucketOf"/>), RowKey "&lt;monitor&gt;|&lt;inverted ms of the hour&gt;",
/// so a monitor's hours are one range query, newest first, and rolling an hour up again replaces
/// its row. Kept <see cref="Retention"/>.
/// </summary>
public sealed class RollupStore(StorageClients clients)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    private TableClient Table => clients.Table(StorageNames.Rollups);

    /// <summary>Upserts the rollups, batched per partition; returns how many transactions it took.</summary>
    public Task<int> WriteAsync(IEnumerable<HourRollup> rollups, CancellationToken cancellationToken) =>
        TableBatches.SubmitAsync(Table, rollups.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(r))), cancellationToken);

    /// <summary>A monitor's hours starting in [from, to], newest first.</summary>
    public async Task<IReadOnlyList<HourRollup>> RangeAsync(string monitorId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var found = new List<HourRollup>();
        await foreach (var row in Table.QueryAsync<TableEntity>(Filter(monitorId, from, to), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.Add(Read(monitorId, row));
        }

        return found;
    }

    /// <summary>Deletes a monitor's hours starting before <paramref name="before"/>; returns how many.</summary>
    public Task<int> DeleteBeforeAsync(string monitorId, DateTimeOffset before, CancellationToken cancellationToken) =>
        TableBatches.DeleteAsync(Table, Filter(monitorId, DateTimeOffset.UnixEpoch, before.AddMilliseconds(-1)), cancellationToken);

    /// <summary>Retention of a deleted monitor: deletes at most <paramref name="max"/> of its hours; answers how many it found (fewer: none left).</summary>
    public Task<int> DeleteMonitorAsync(string monitorId, int max, CancellationToken cancellationToken) =>
        TableBatches.DeleteSomeAsync(Table, ResultKey.AllOf(monitorId), max, cancellationToken);

    private static string Filter(string monitorId, DateTimeOffset from, DateTimeOffset to)
    {
        // The hour key is the monitor and an inverted time, as a result's key without the region:
        // the same range bounds select it.
        var range = ResultKey.HistoryOf(monitorId, from, to);
        return TableClient.CreateQueryFilter($"PartitionKey eq {ResultKey.BucketOf(monitorId)} and RowKey ge {range.From} and RowKey lt {range.Before}");
    }

    private static TableEntity Entity(HourRollup rollup)
    {
        var entity = new TableEntity(ResultKey.BucketOf(rollup.MonitorId), $"{KeyPart.Checked(rollup.MonitorId, nameof(rollup))}|{InvertedTime.Of(rollup.Hour)}")
        {
            ["Hour"] = rollup.Hour,
            ["Count"] = rollup.Count,
            ["Failures"] = rollup.Failures,
            ["Regions"] = JsonSerializer.Serialize(rollup.Regions),
        };
        if (rollup.Latency is { Count: > 0 } latency)
        {
            entity["Latency"] = JsonSerializer.Serialize(latency.ToDictionary(kv => kv.Key, kv => kv.Value.Encode(), StringComparer.Ordinal));
        }

        foreach (var (name, value) in new[] { ("P50", rollup.P50), ("P90", rollup.P90), ("P99", rollup.P99), ("Max", rollup.Max) })
        {
            if (value is { } v)
            {
                entity[name] = v;
            }
        }

        return entity;
    }

    private static HourRollup Read(string monitorId, TableEntity row) => new(
        monitorId,
        row.GetDateTimeOffset("Hour") ?? default,
        row.GetInt32("Count") ?? 0,
        row.GetInt32("Failures") ?? 0,
        row.GetDouble("P50"),
        row.GetDouble("P90"),
        row.GetDouble("P99"),
        row.GetDouble("Max"),
        JsonSerializer.Deserialize<Dictionary<string, int>>(row.GetString("Regions") ?? "{}") ?? [],
        row.GetString("Latency") is { } latency
            ? (JsonSerializer.Deserialize<Dictionary<string, string>>(latency) ?? []).ToDictionary(kv => kv.Key, kv => LatencyHistogram.Decode(kv.Value), StringComparer.Ordinal)
            : null);
}
