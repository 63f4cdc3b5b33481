using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Uptime rollups, in table <c>uptime</c>, one partition per monitor (docs/UPTIME.md):
/// <code>
///   PartitionKey = &lt;monitorId&gt;
///     RowKey "month|&lt;YYYY-MM&gt;"   the month's closed stretches of down, suppressed and maintenance
///                                time: binary columns of (start, end) pairs, seconds from the month's start
///     RowKey "now|outage"         the confirmed outage still open: its start and incident
///     RowKey "now|pause"          the pause still on: its start
///     RowKey "latency|&lt;YYYY-MM-DD&gt;"   the day's latency histograms per region (its hourly rollups merged)
/// </code>
/// Partition <see cref="Deployment"/> has the same month rows for suppressed minutes that held
/// for every monitor. A report of any period up to 400 days is one range query of this partition ("month|&lt;first
/// month&gt;" to "now|~"). Stretches are merged into a month by set union under the row's ETag,
/// so writing the same stretch twice (a retried activity) changes nothing, and two writers
/// never lose each other's stretch. Months are kept <see cref="RollupStore.Retention"/>.
/// </summary>
public sealed class UptimeStore(StorageClients clients)
{
    /// <summary>
    /// The partition of the minutes suppressed for every monitor at once (SuppressedMinutes): no
    /// monitor id looks like it.
    /// </summary>
    public const string Deployment = "deployment";

    /// <summary>Spans per kind in one month row: 8 bytes each stays far under a binary column's 64 KiB.</summary>
    public const int MaxSpansPerMonth = 4096;

    private const string MonthPrefix = "month|";
    private const string LatencyPrefix = "latency|";
    private const string OutageRow = "now|outage";
    private const string PauseRow = "now|pause";
    private const int Tries = 10;

    private TableClient Table => clients.Table(StorageNames.Uptime);

    /// <summary>Merges closed stretches into the months they touch; writing the same again changes nothing.</summary>
    public async Task AddAsync(string monitorId, IReadOnlyDictionary<UptimeKind, SpanSet> stretches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stretches);
        KeyPart.Checked(monitorId, nameof(monitorId));
        var months = stretches.Values.SelectMany(s => s.Spans).SelectMany(MonthsOf).Distinct().Order().ToList();
        foreach (var month in months)
        {
            await AddToMonthAsync(monitorId, month, stretches, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Notes a confirmed outage as open since <paramref name="start"/>; an open one stays as it is.</summary>
    public Task OpenOutageAsync(string monitorId, string incidentId, DateTimeOffset start, CancellationToken cancellationToken) =>
        AddOnceAsync(new TableEntity(KeyPart.Checked(monitorId, nameof(monitorId)), OutageRow) { ["Start"] = start, ["IncidentId"] = incidentId }, cancellationToken);

    /// <summary>The open outage: its incident and start; null when none is open.</summary>
    public async Task<(string IncidentId, DateTimeOffset Start)?> OpenOutageAsync(string monitorId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(KeyPart.Checked(monitorId, nameof(monitorId)), OutageRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? (e.GetString("IncidentId"), e.GetDateTimeOffset("Start") ?? default) : null;
    }

    /// <summary>Forgets the open outage once its stretch is stored, unless it is another incident's by now.</summary>
    public async Task CloseOutageAsync(string monitorId, string incidentId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(KeyPart.Checked(monitorId, nameof(monitorId)), OutageRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row.HasValue && row.Value is { } e && e.GetString("IncidentId") == incidentId)
        {
            await DeleteIfUnchangedAsync(e, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Notes a pause as on since <paramref name="start"/>; one already on keeps its start.</summary>
    public Task OpenPauseAsync(string monitorId, DateTimeOffset start, CancellationToken cancellationToken) =>
        AddOnceAsync(new TableEntity(KeyPart.Checked(monitorId, nameof(monitorId)), PauseRow) { ["Start"] = start }, cancellationToken);

    /// <summary>The pause on and its row (to forget it once stored); null when none is on.</summary>
    public async Task<(DateTimeOffset Start, ETag ETag)?> OpenPauseAsync(string monitorId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(KeyPart.Checked(monitorId, nameof(monitorId)), PauseRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? (e.GetDateTimeOffset("Start") ?? default, e.ETag) : null;
    }

    /// <summary>Forgets the pause read with <paramref name="etag"/> (a pause begun again since stays).</summary>
    public async Task ClosePauseAsync(string monitorId, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(monitorId, PauseRow, etag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.IsNotFound() || e.IsStale())
        {
            // Forgotten already, or a new pause: either way nothing of this one is left to forget.
        }
    }

    /// <summary>Everything stored about <paramref name="monitorId"/> from the month of <paramref name="from"/> on: one range query.</summary>
    public async Task<UptimeRecords> ReadAsync(string monitorId, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var partition = KeyPart.Checked(monitorId, nameof(monitorId));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {MonthKey(MonthOf(from))} and RowKey lt {"now|~"}");
        var sets = new Dictionary<UptimeKind, List<Span>>();
        long? outage = null;
        long? paused = null;
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            switch (row.RowKey)
            {
                case OutageRow:
                    outage = Span.Seconds(row.GetDateTimeOffset("Start") ?? default);
                    break;
                case PauseRow:
                    paused = Span.Seconds(row.GetDateTimeOffset("Start") ?? default);
                    break;
                default:
                    if (row.RowKey.StartsWith(MonthPrefix, StringComparison.Ordinal))
                    {
                        var start = Span.Seconds(ParseMonth(row.RowKey[MonthPrefix.Length..]));
                        foreach (var kind in Enum.GetValues<UptimeKind>())
                        {
                            var list = sets.TryGetValue(kind, out var l) ? l : sets[kind] = [];
                            list.AddRange(Decode(row.GetBinary(kind.ToString()), start));
                        }
                    }

                    break;
            }
        }

        return new UptimeRecords(sets.ToDictionary(kv => kv.Key, kv => SpanSet.Of(kv.Value)), outage, paused);
    }

    /// <summary>Writes (replaces) a day's latency; an empty day writes nothing.</summary>
    public async Task WriteLatencyDayAsync(string monitorId, LatencyDay day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(day);
        if (day.Regions.Count == 0)
        {
            return;
        }

        var row = new TableEntity(KeyPart.Checked(monitorId, nameof(monitorId)), DayKey(day.Day))
        {
            ["Regions"] = JsonSerializer.Serialize(day.Regions.ToDictionary(kv => kv.Key, kv => kv.Value.Encode(), StringComparer.Ordinal)),
        };
        await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A monitor's latency days from <paramref name="from"/> to <paramref name="to"/> inclusive, oldest first: one range query.</summary>
    public async Task<IReadOnlyList<LatencyDay>> ReadLatencyDaysAsync(string monitorId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {KeyPart.Checked(monitorId, nameof(monitorId))} and RowKey ge {DayKey(from)} and RowKey le {DayKey(to)}");
        var days = new List<LatencyDay>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var regions = JsonSerializer.Deserialize<Dictionary<string, string>>(row.GetString("Regions") ?? "{}") ?? [];
            days.Add(new LatencyDay(
                DateOnly.ParseExact(row.RowKey.AsSpan(LatencyPrefix.Length), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                regions.ToDictionary(kv => kv.Key, kv => LatencyHistogram.Decode(kv.Value), StringComparer.Ordinal)));
        }

        return days;
    }

    /// <summary>Deletes a monitor's months and latency days that ended before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> DeleteBeforeAsync(string monitorId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var partition = KeyPart.Checked(monitorId, nameof(monitorId));
        var months = await TableBatches.DeleteAsync(
            Table,
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {MonthPrefix} and RowKey lt {MonthKey(MonthOf(before))}"),
            cancellationToken).ConfigureAwait(false);
        var days = await TableBatches.DeleteAsync(
            Table,
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {LatencyPrefix} and RowKey lt {DayKey(DateOnly.FromDateTime(before.UtcDateTime))}"),
            cancellationToken).ConfigureAwait(false);
        return months + days;
    }

    /// <summary>Retention of a deleted monitor: deletes at most <paramref name="max"/> of its rows; answers how many it found (fewer: none left).</summary>
    public Task<int> DeleteMonitorAsync(string monitorId, int max, CancellationToken cancellationToken) =>
        TableBatches.DeleteSomeAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {KeyPart.Checked(monitorId, nameof(monitorId))}"), max, cancellationToken);

    /// <summary>The first moment of the UTC month holding <paramref name="at"/>.</summary>
    public static DateTimeOffset MonthOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private static string MonthKey(DateTimeOffset month) => MonthPrefix + month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string DayKey(DateOnly day) => LatencyPrefix + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseMonth(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static IEnumerable<DateTimeOffset> MonthsOf(Span span)
    {
        if (span.IsEmpty)
        {
            yield break;
        }

        for (var month = MonthOf(Span.At(span.Start)); Span.Seconds(month) < span.End; month = month.AddMonths(1))
        {
            yield return month;
        }
    }

    private async Task AddToMonthAsync(string monitorId, DateTimeOffset month, IReadOnlyDictionary<UptimeKind, SpanSet> stretches, CancellationToken cancellationToken)
    {
        var window = new Span(Span.Seconds(month), Span.Seconds(month.AddMonths(1)));
        for (var tries = 0; ; tries++)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(monitorId, MonthKey(month), cancellationToken: cancellationToken).ConfigureAwait(false);
            var stored = existing.HasValue ? existing.Value : null;
            var row = new TableEntity(monitorId, MonthKey(month));
            var changed = false;
            foreach (var kind in Enum.GetValues<UptimeKind>())
            {
                var before = SpanSet.Of(Decode(stored?.GetBinary(kind.ToString()), window.Start));
                var added = stretches.TryGetValue(kind, out var set) ? set.Within(window) : SpanSet.Empty;
                var after = before.Union(added).Coarsened(MaxSpansPerMonth);
                changed |= !after.Spans.SequenceEqual(before.Spans);
                if (after.Count > 0)
                {
                    row[kind.ToString()] = Encode(after, window.Start);
                }
            }

            if (!changed)
            {
                return;
            }

            try
            {
                if (stored is null)
                {
                    await Table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Table.UpdateEntityAsync(row, stored.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException e) when ((e.IsConflict() || e.IsStale()) && tries < Tries)
            {
                // Another stretch went into this month meanwhile: merge into what is there now.
            }
        }
    }

    private async Task AddOnceAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            // Noted already (a retry, or a second request): the first start stands.
        }
    }

    private async Task DeleteIfUnchangedAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.IsNotFound() || e.IsStale())
        {
            // Gone already, or rewritten for a newer incident, which stays.
        }
    }

    private static byte[] Encode(SpanSet set, long origin)
    {
        var bytes = new byte[set.Count * 8];
        for (var i = 0; i < set.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 8), checked((int)(set.Spans[i].Start - origin)));
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((i * 8) + 4), checked((int)(set.Spans[i].End - origin)));
        }

        return bytes;
    }

    private static List<Span> Decode(byte[]? bytes, long origin)
    {
        var spans = new List<Span>();
        for (var i = 0; bytes is not null && i + 8 <= bytes.Length; i += 8)
        {
            spans.Add(new Span(
                origin + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i)),
                origin + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i + 4))));
        }

        return spans;
    }
}
