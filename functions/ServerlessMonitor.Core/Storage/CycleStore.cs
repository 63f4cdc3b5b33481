using Azure;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// What every region reported for each cycle, in table <c>cycles</c> (keys: <see cref="CycleKeys"/>):
/// <code>
///   PartitionKey "m&lt;minute&gt;"   RowKey "&lt;region&gt;|claim"                the region's cycle started (created once)
///                                RowKey "&lt;region&gt;|o|&lt;part&gt;|&lt;chunk&gt;"   outcomes one instance probed, packed JSON
///                                RowKey "&lt;region&gt;|health"               how the region's own instance ran it
///                                RowKey "verdict"                       the verdict step decided it (created once)
///                                RowKey "changes|&lt;chunk&gt;"            the states its verdicts changed, packed JSON
///   PartitionKey "latest"         RowKey "&lt;region&gt;"                     the region's latest decided cycle
/// </code>
/// The verdict step reads a cycle with one partition query, and deletes it whole after
/// <see cref="Retention"/>.
/// </summary>
public sealed class CycleStore(StorageClients clients)
{
    /// <summary>A cycle is of no use once decided; an hour leaves time to look at one by hand.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    /// <summary>50 rows of 30,000 characters stay under a transaction's 4 MiB.</summary>
    private const int ChunksPerTransaction = 50;

    /// <summary>Marks outcome rows that carry what the cycle's scan found of each monitor.</summary>
    private const string ScannedColumn = "Scanned";

    private TableClient Table => clients.Table(StorageNames.Cycles);

    /// <summary>
    /// Marks the region's cycle of <paramref name="minute"/> started: a conditional create
    /// (If-None-Match: *), so of two runs of the same timer exactly one gets true.
    /// </summary>
    public Task<bool> ClaimAsync(string region, long minute, DateTimeOffset at, CancellationToken cancellationToken) =>
        CreateOnceAsync(new TableEntity(CycleKeys.Partition(minute), CycleKeys.Claim(region)) { ["At"] = at }, cancellationToken);

    /// <summary>
    /// Marks <paramref name="minute"/> decided, at most once: the same conditional create, so of
    /// two verdict runs (a repeated timer, a second instance) only one hands verdicts over.
    /// </summary>
    public Task<bool> MarkDecidedAsync(long minute, DateTimeOffset at, CancellationToken cancellationToken) =>
        CreateOnceAsync(new TableEntity(CycleKeys.Partition(minute), CycleKeys.Verdict) { ["At"] = at }, cancellationToken);

    /// <summary>Writes the outcomes one instance probed (part "main" or "s&lt;shard&gt;"); writing them again replaces the same rows.</summary>
    public async Task WriteOutcomesAsync(string region, long minute, string part, IEnumerable<ProbeOutcome> outcomes, CancellationToken cancellationToken)
    {
        var rows = StoredOutcomes.Pack(outcomes)
            .Select((json, chunk) => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace,
                new TableEntity(CycleKeys.Partition(minute), CycleKeys.Outcomes(region, part, chunk)) { ["Outcomes"] = json, [ScannedColumn] = true }));
        foreach (var batch in rows.Chunk(ChunksPerTransaction))
        {
            await Table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WriteHealthAsync(CycleHealth health, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(CycleKeys.Partition(health.Minute), CycleKeys.Health(health.Region))
        {
            ["MinuteAt"] = health.MinuteAt,
            ["StartedAt"] = health.StartedAt,
            ["FinishedAt"] = health.FinishedAt,
            ["LagMs"] = health.Lag.TotalMilliseconds,
            ["Due"] = health.Due,
            ["Probed"] = health.Probed,
            ["Skipped"] = health.Skipped,
            ["Shards"] = health.Shards,
            ["Canaries"] = StoredOutcomes.WriteCanaries(health.Canaries),
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Everything the regions wrote for <paramref name="minute"/>: one partition query.</summary>
    public async Task<CycleRecord> ReadAsync(long minute, CancellationToken cancellationToken)
    {
        var decided = false;
        var health = new Dictionary<string, CycleHealth>(StringComparer.Ordinal);
        var outcomes = new Dictionary<string, List<ProbeOutcome>>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CycleKeys.Partition(minute)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == CycleKeys.Verdict)
            {
                decided = true;
                continue;
            }

            var parts = row.RowKey.Split('|');
            switch (parts[1])
            {
                case "health":
                    health[parts[0]] = ReadHealth(parts[0], minute, row);
                    break;
                case "o":
                    if (!outcomes.TryGetValue(parts[0], out var list))
                    {
                        outcomes[parts[0]] = list = [];
                    }

                    list.AddRange(StoredOutcomes.Unpack(row.GetString("Outcomes") ?? "[]", row.GetBoolean(ScannedColumn) == true));
                    break;
            }
        }

        return new CycleRecord(minute, decided, health, outcomes.ToDictionary(o => o.Key, o => (IReadOnlyList<ProbeOutcome>)o.Value, StringComparer.Ordinal));
    }

    /// <summary>
    /// Records the states the verdicts of <paramref name="minute"/> change, before they are written
    /// to the monitor rows: writing them again replaces the same rows. Empty writes nothing.
    /// </summary>
    public async Task WriteChangesAsync(long minute, DateTimeOffset at, IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var rows = StateChanges.Pack(changes)
            .Select((json, chunk) => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace,
                new TableEntity(CycleKeys.Partition(minute), CycleKeys.Changes(chunk)) { ["Changes"] = json, ["At"] = at }));
        foreach (var batch in rows.Chunk(ChunksPerTransaction))
        {
            await Table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The states the verdicts of <paramref name="minute"/> changed (monitor, from, to, at), in
    /// the order they were decided; empty when none did or the minute is not decided yet. Kept
    /// as long as the cycle (<see cref="Retention"/>).
    /// </summary>
    public async Task<IReadOnlyList<StateChange>> ReadChangesAsync(long minute, CancellationToken cancellationToken) =>
        await ChangesAsync(minute, minute, cancellationToken).ConfigureAwait(false);

    /// <summary>The state changes recorded for the minutes <paramref name="from"/> to <paramref name="to"/>: one query.</summary>
    public async Task<IReadOnlyList<StateChange>> ChangesAsync(long from, long to, CancellationToken cancellationToken)
    {
        var found = new List<StateChange>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {CycleKeys.Partition(Math.Max(0, from))} and PartitionKey le {CycleKeys.Partition(Math.Max(0, to))} and RowKey ge {CycleKeys.ChangesPrefix} and RowKey lt {CycleKeys.ChangesEnd}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.AddRange(StateChanges.Unpack(row.GetString("Changes") ?? "[]", CycleKeys.MinuteOf(row.PartitionKey), row.GetDateTimeOffset("At")));
        }

        return found;
    }

    /// <summary>Deletes the cycle of <paramref name="minute"/> whole; returns how many rows.</summary>
    public Task<int> DeleteAsync(long minute, CancellationToken cancellationToken) =>
        TableBatches.DeleteAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {CycleKeys.Partition(minute)}"), cancellationToken);

    public async Task WriteLatestAsync(RegionLatest latest, CancellationToken cancellationToken)
    {
        var stats = latest.Stats;
        var entity = new TableEntity(CycleKeys.LatestPartition, CycleKeys.Latest(latest.Region))
        {
            ["Minute"] = latest.Minute,
            ["LastCycleAt"] = latest.LastCycleAt,
            ["Probes"] = stats.Probes,
            ["Failures"] = stats.Failures,
            ["LocalFaults"] = stats.LocalFaults,
            ["Canaries"] = stats.Canaries,
            ["CanaryFailures"] = stats.CanaryFailures,
            ["ReachedElsewhere"] = stats.ReachedElsewhere,
            ["FailedWhereReachedElsewhere"] = stats.FailedWhereReachedElsewhere,
            ["Trusted"] = latest.Trusted,
            ["Reason"] = latest.Reason,
            ["LagMs"] = latest.Lag.TotalMilliseconds,
            ["DurationMs"] = latest.Duration.TotalMilliseconds,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every region's latest decided cycle, by region name.</summary>
    public async Task<IReadOnlyDictionary<string, RegionLatest>> LatestAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, RegionLatest>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CycleKeys.LatestPartition}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var stats = new RegionStats(
                row.GetInt32("Probes") ?? 0,
                row.GetInt32("Failures") ?? 0,
                row.GetInt32("LocalFaults") ?? 0,
                row.GetInt32("Canaries") ?? 0,
                row.GetInt32("CanaryFailures") ?? 0,
                row.GetInt32("ReachedElsewhere") ?? 0,
                row.GetInt32("FailedWhereReachedElsewhere") ?? 0);
            found[row.RowKey] = new RegionLatest(
                row.RowKey,
                row.GetInt64("Minute") ?? 0,
                row.GetDateTimeOffset("LastCycleAt") ?? default,
                stats,
                row.GetBoolean("Trusted") == true,
                row.GetString("Reason") ?? string.Empty,
                TimeSpan.FromMilliseconds(row.GetDouble("LagMs") ?? 0),
                TimeSpan.FromMilliseconds(row.GetDouble("DurationMs") ?? 0));
        }

        return found;
    }

    private static CycleHealth ReadHealth(string region, long minute, TableEntity row) => new(
        region,
        minute,
        row.GetDateTimeOffset("MinuteAt") ?? default,
        row.GetDateTimeOffset("StartedAt") ?? default,
        row.GetDateTimeOffset("FinishedAt") ?? default,
        TimeSpan.FromMilliseconds(row.GetDouble("LagMs") ?? 0),
        row.GetInt32("Due") ?? 0,
        row.GetInt32("Probed") ?? 0,
        row.GetInt32("Skipped") ?? 0,
        row.GetInt32("Shards") ?? 0,
        StoredOutcomes.ReadCanaries(row.GetString("Canaries")));

    private async Task<bool> CreateOnceAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }
}
