using Azure.Data.Tables;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Raw probe results, in table <c>results</c>, keyed by <see cref="ResultKey"/>: (monitor, region,
/// scheduled minute) and nothing else, so writing a result again (a repeated timer, a retried
/// shard) replaces its row instead of adding one. A monitor's history is one partition range
/// query, newest first. Absent values stay absent: Table Storage has no null.
/// </summary>
public sealed class ResultStore(StorageClients clients)
{
    /// <summary>Error messages are cut here: a result row must stay well under the 1 MiB entity limit.</summary>
    private const int MaxMessage = 1000;

    private TableClient Table => clients.Table(StorageNames.Results);

    /// <summary>Upserts the results, ≤ 100 rows of one partition per transaction; returns how many transactions it took.</summary>
    public Task<int> WriteAsync(IEnumerable<CycleResult> results, CancellationToken cancellationToken) =>
        TableBatches.SubmitAsync(Table, results.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(r))), cancellationToken);

    /// <summary>A monitor's results scheduled in [from, to], newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<CycleResult>> RangeAsync(string monitorId, DateTimeOffset from, DateTimeOffset to, string? region, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var range = ResultKey.HistoryOf(monitorId, from, to);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ResultKey.BucketOf(monitorId)} and RowKey ge {range.From} and RowKey lt {range.Before}");
        if (region is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Region eq {region}");
        }

        var found = new List<CycleResult>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.Add(Read(monitorId, row));
            if (found.Count >= limit)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Deletes a monitor's results scheduled before <paramref name="before"/>; returns how many.</summary>
    public Task<int> DeleteBeforeAsync(string monitorId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var range = ResultKey.HistoryOf(monitorId, DateTimeOffset.UnixEpoch, before.AddMilliseconds(-1));
        return TableBatches.DeleteAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {ResultKey.BucketOf(monitorId)} and RowKey ge {range.From} and RowKey lt {range.Before}"), cancellationToken);
    }

    /// <summary>Retention of a deleted monitor: deletes at most <paramref name="max"/> of its results; answers how many it found (fewer: none left).</summary>
    public Task<int> DeleteMonitorAsync(string monitorId, int max, CancellationToken cancellationToken) =>
        TableBatches.DeleteSomeAsync(Table, ResultKey.AllOf(monitorId), max, cancellationToken);

    private static TableEntity Entity(CycleResult result)
    {
        var key = result.Key;
        var probe = result.Probe;
        var entity = new TableEntity(key.PartitionKey, key.RowKey)
        {
            ["Region"] = result.Region,
            ["MinuteAt"] = result.MinuteAt,
            ["At"] = result.At,
            ["Ok"] = probe.Ok,
            ["Dns"] = probe.Phases.Dns,
            ["Connect"] = probe.Phases.Connect,
            ["Tls"] = probe.Phases.Tls,
            ["FirstByte"] = probe.Phases.FirstByte,
            ["Total"] = probe.Phases.Total,
            ["Status"] = probe.Status,
            ["RemoteAddress"] = probe.RemoteAddress,
        };
        if (probe.Error is { } error)
        {
            entity["ErrorClass"] = error.Class.ToString();
            entity["ErrorMessage"] = error.Message.Length > MaxMessage ? error.Message[..MaxMessage] : error.Message;
            entity["ErrorCode"] = error.Code;
        }

        // The warning travels with the result it was found in (issue 11, item 4): the results
        // API shows it, and the sha256 tells a renewed certificate from the same one seen again.
        if (probe.CertificateWarning is { } warning)
        {
            entity["CertDaysLeft"] = warning.DaysLeft;
            entity["CertExpiresAt"] = warning.ExpiresAt;
            entity["CertSubject"] = warning.Subject;
            entity["CertSha256"] = warning.Sha256;
            entity["CertWarningDays"] = warning.WarningDays;
        }

        // A block's listings are capped by the probe (DnsblProbe), so the column stays under Table Storage's 64 KiB per property.
        if (probe.Listings is { } listings)
        {
            entity["Listings"] = ProbeJson.SerializeListings(listings);
        }

        // Table Storage stores no nulls; leaving the column out is how a null is written.
        foreach (var empty in entity.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            entity.Remove(empty);
        }

        return entity;
    }

    private static CycleResult Read(string monitorId, TableEntity row)
    {
        var error = row.GetString("ErrorClass") is { } errorClass && Enum.TryParse<ErrorClass>(errorClass, out var parsed)
            ? new ProbeError(parsed, row.GetString("ErrorMessage") ?? string.Empty, row.GetString("ErrorCode"))
            : null;
        var warning = row.GetString("CertSha256") is { } sha256
            ? new CertificateWarning(row.GetInt32("CertDaysLeft") ?? 0, row.GetDateTimeOffset("CertExpiresAt") ?? default, row.GetString("CertSubject") ?? string.Empty, sha256, row.GetInt32("CertWarningDays") ?? 0)
            : null;
        var probe = new ProbeResult
        {
            Ok = row.GetBoolean("Ok") == true,
            Error = error,
            Phases = new ProbePhases(row.GetDouble("Dns"), row.GetDouble("Connect"), row.GetDouble("Tls"), row.GetDouble("FirstByte"), row.GetDouble("Total") ?? 0),
            Status = row.GetInt32("Status"),
            RemoteAddress = row.GetString("RemoteAddress"),
            CertificateWarning = warning,
            Listings = ProbeJson.ParseListings(row.GetString("Listings")),
        };
        return new CycleResult(monitorId, row.GetString("Region"), row.GetDateTimeOffset("MinuteAt") ?? default, row.GetDateTimeOffset("At") ?? default, probe);
    }
}
