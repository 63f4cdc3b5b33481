using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Incidents, in table <c>incidents</c>, one partition per monitor (port of storage/incidents.ts):
/// <code>
///   PartitionKey = &lt;monitorId&gt;
///     RowKey "incident|&lt;inverted opened minute&gt;"                     the incident
///     RowKey "entry|&lt;inverted opened minute&gt;|t|&lt;position&gt;"          a timeline entry
///     RowKey "entry|&lt;inverted opened minute&gt;|a|&lt;destination&gt;|failure&lt;n&gt;" or "…|recovery"   an alert
///     RowKey "entry|&lt;inverted opened minute&gt;|n|&lt;ticks&gt;|&lt;random&gt;"    a note
/// </code>
/// A monitor's incidents newest first are one prefix query; an incident with all its entries is
/// a point read and one prefix query. Every write the incident's activities make is keyed by
/// what it records (position, destination and number), so an activity that runs twice writes
/// the same rows again.
/// </summary>
public sealed class IncidentStore(StorageClients clients)
{
    private const long LargestMinute = 9_999_999_999_999;
    private const string IncidentPrefix = "incident|";
    private const int Batch = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => clients.Table(StorageNames.Incidents);

    /// <summary>Creates the incident; false when it exists already (a repeated start).</summary>
    public async Task<bool> CreateAsync(IncidentRecord incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        try
        {
            await Table.AddEntityAsync(Header(incident), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }

    public async Task<IncidentRecord?> GetAsync(string incidentId, CancellationToken cancellationToken)
    {
        if (!IncidentIds.TryParse(incidentId, out var monitorId, out var minute))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(monitorId, HeaderKey(minute), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? ReadHeader(e) : null;
    }

    /// <summary>The incident and everything recorded about it; null when there is no such incident.</summary>
    public async Task<IncidentDetail?> GetDetailAsync(string incidentId, CancellationToken cancellationToken) =>
        await GetAsync(incidentId, cancellationToken).ConfigureAwait(false) is { } incident
            ? await DetailAsync(incident, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Everything recorded about an incident already read.</summary>
    public async Task<IncidentDetail> DetailAsync(IncidentRecord incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var prefix = EntryPrefix(incident.OpenedMinute);
        var timeline = new List<TimelineRecord>();
        var alerts = new List<AlertRecord>();
        var notes = new List<IncidentNote>();
        await foreach (var e in Table.QueryAsync<TableEntity>(PrefixFilter(incident.MonitorId, prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            switch (e.RowKey.AsSpan(prefix.Length, 2))
            {
                case "t|":
                    timeline.Add(ReadTimeline(e));
                    break;
                case "a|":
                    alerts.Add(ReadAlert(e));
                    break;
                case "n|":
                    notes.Add(new IncidentNote(e.GetDateTimeOffset("At") ?? default, e.GetString("AccountId"), e.GetString("Text"), e.GetBoolean("Public") ?? false));
                    break;
            }
        }

        // Timeline and notes come in key order (position, time); alerts are keyed by destination.
        return new IncidentDetail(incident, timeline, [.. alerts.OrderBy(a => a.At).ThenBy(a => a.Destination, StringComparer.Ordinal).ThenBy(a => a.Sequence ?? int.MaxValue)], notes);
    }

    /// <summary>A monitor's incidents, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<IncidentRecord>> ListAsync(string monitorId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var incidents = new List<IncidentRecord>();
        await foreach (var e in Table.QueryAsync<TableEntity>(PrefixFilter(KeyPart.Checked(monitorId, nameof(monitorId)), IncidentPrefix), maxPerPage: limit, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            incidents.Add(ReadHeader(e));
            if (incidents.Count == limit)
            {
                break;
            }
        }

        return incidents;
    }

    /// <summary>
    /// Writes timeline entries at their positions. An entry that is not a verdict never changes
    /// once written; a run of verdicts grows, and keeps when it was first written. A write that
    /// comes again, or late (a retried or repeated activity), never shrinks a run.
    /// </summary>
    public async Task PutTimelineAsync(string incidentId, DateTimeOffset at, IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var (monitorId, minute) = Parse(incidentId);
        var fixedEntries = entries.Where(e => e.Kind != TimelineKind.Verdict).Select(e => TimelineEntity(monitorId, minute, at, e)).ToList();
        for (var i = 0; i < fixedEntries.Count; i += Batch)
        {
            await Table.SubmitTransactionAsync(fixedEntries.Skip(i).Take(Batch).Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken).ConfigureAwait(false);
        }

        foreach (var run in entries.Where(e => e.Kind == TimelineKind.Verdict))
        {
            await PutRunAsync(monitorId, minute, at, run, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sets the incident's state under the ETag it was read with; false when it changed since
    /// (read it again and decide again). A closed incident keeps its end and close time.
    /// </summary>
    public async Task<bool> SetStateAsync(IncidentRecord incident, IncidentStatus state, IncidentEnd? end, DateTimeOffset? closedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var updated = incident with { State = state, End = incident.End ?? end, ClosedAt = incident.ClosedAt ?? closedAt };
        try
        {
            await Table.UpdateEntityAsync(Header(updated), incident.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsStale() || e.IsNotFound())
        {
            return false;
        }
    }

    /// <summary>Records an alert (or its newer status) under its destination and number.</summary>
    public async Task PutAlertAsync(string incidentId, AlertRecord alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var (monitorId, minute) = Parse(incidentId);
        var which = alert.Kind == AlertKind.Recovery ? "recovery" : $"failure{alert.Sequence}";
        var entity = new TableEntity(monitorId, $"{EntryPrefix(minute)}a|{KeyPart.Checked(alert.Destination, nameof(alert))}|{which}")
        {
            ["At"] = alert.At,
            ["Destination"] = alert.Destination,
            ["Channel"] = alert.Channel.ToString(),
            ["Kind"] = alert.Kind.ToString(),
            ["Sequence"] = alert.Sequence,
            ["Status"] = alert.Status.ToString(),
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddNoteAsync(string incidentId, IncidentNote note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        var (monitorId, minute) = Parse(incidentId);

        // Notes sort by time; the random part keeps two in the same tick apart.
        var key = $"{EntryPrefix(minute)}n|{note.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        await Table.AddEntityAsync(new TableEntity(monitorId, key) { ["At"] = note.At, ["AccountId"] = note.AccountId, ["Text"] = note.Text, ["Public"] = note.Public }, cancellationToken).ConfigureAwait(false);
    }

    private async Task PutRunAsync(string monitorId, long minute, DateTimeOffset at, TimelineEntry run, CancellationToken cancellationToken)
    {
        var rowKey = TimelineKey(minute, run.Seq);
        for (var tries = 0; ; tries++)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(monitorId, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var stored = existing.HasValue ? existing.Value : null;
            if (stored is not null && (stored.GetInt32("Count") ?? 1) >= run.Count)
            {
                return;
            }

            var entity = TimelineEntity(monitorId, minute, stored?.GetDateTimeOffset("At") ?? at, run);
            entity["LastAt"] = at;
            try
            {
                if (stored is null)
                {
                    await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Table.UpdateEntityAsync(entity, stored.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException e) when ((e.IsConflict() || e.IsStale()) && tries < 5)
            {
                // Another write of the same run got there first: look again.
            }
        }
    }

    private static (string MonitorId, long Minute) Parse(string incidentId) =>
        IncidentIds.TryParse(incidentId, out var monitorId, out var minute) ? (monitorId, minute) : throw new ArgumentException($"'{incidentId}' is not an incident id", nameof(incidentId));

    private static string Inverted(long minute) =>
        minute is < 0 or > LargestMinute
            ? throw new ArgumentOutOfRangeException(nameof(minute), minute, "opened minutes are 0 to 13 digits")
            : (LargestMinute - minute).ToString("D13", CultureInfo.InvariantCulture);

    private static string HeaderKey(long minute) => $"{IncidentPrefix}{Inverted(minute)}";

    private static string EntryPrefix(long minute) => $"entry|{Inverted(minute)}|";

    private static string TimelineKey(long minute, int seq) => $"{EntryPrefix(minute)}t|{seq.ToString("D6", CultureInfo.InvariantCulture)}";

    /// <summary>Rows whose key starts with <paramref name="prefix"/>: '|' + 1 is '}', the first key past them.</summary>
    /// <summary>
    /// Retention of a deleted monitor: deletes at most <paramref name="max"/> rows of its
    /// incidents (entries sort before the incidents they belong to, so they go first); answers
    /// how many it found (fewer: none left).
    /// </summary>
    public Task<int> DeleteMonitorAsync(string monitorId, int max, CancellationToken cancellationToken) =>
        TableBatches.DeleteSomeAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {KeyPart.Checked(monitorId, nameof(monitorId))}"), max, cancellationToken);

    private static string PrefixFilter(string partition, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");

    private static TableEntity Header(IncidentRecord i) => new(i.MonitorId, HeaderKey(i.OpenedMinute))
    {
        ["MonitorName"] = i.Monitor.Name,
        ["MonitorType"] = i.Monitor.Type.ToString(),
        ["MonitorTarget"] = i.Monitor.Target,
        ["OpenedMinute"] = i.OpenedMinute,
        ["OpenedAt"] = i.OpenedAt,
        ["State"] = i.State.ToString(),
        ["End"] = i.End?.ToString(),
        ["ClosedAt"] = i.ClosedAt,
    };

    private static IncidentRecord ReadHeader(TableEntity e)
    {
        var minute = e.GetInt64("OpenedMinute") ?? 0;
        return new IncidentRecord(
            IncidentIds.Of(e.PartitionKey, minute),
            e.PartitionKey,
            new AlertedMonitor(e.PartitionKey, e.GetString("MonitorName"), Enum.Parse<ProbeType>(e.GetString("MonitorType")), e.GetString("MonitorTarget")),
            minute,
            e.GetDateTimeOffset("OpenedAt") ?? default,
            Enum.Parse<IncidentStatus>(e.GetString("State")),
            e.GetString("End") is { } end ? Enum.Parse<IncidentEnd>(end) : null,
            e.GetDateTimeOffset("ClosedAt"),
            e.ETag);
    }

    private static TableEntity TimelineEntity(string monitorId, long minute, DateTimeOffset at, TimelineEntry entry) => new(monitorId, TimelineKey(minute, entry.Seq))
    {
        ["At"] = at,
        ["Kind"] = entry.Kind.ToString(),
        ["Minute"] = entry.Minute,
        ["Outcome"] = entry.Outcome?.ToString(),
        ["Regions"] = entry.Regions is null ? null : JsonSerializer.Serialize(entry.Regions, Json),
        ["Count"] = entry.Count,
        ["LastMinute"] = entry.LastMinute,
    };

    private static TimelineRecord ReadTimeline(TableEntity e)
    {
        var entry = new TimelineEntry(
            int.Parse(e.RowKey.AsSpan(e.RowKey.LastIndexOf('|') + 1), CultureInfo.InvariantCulture),
            Enum.Parse<TimelineKind>(e.GetString("Kind")),
            e.GetInt64("Minute"),
            e.GetString("Outcome") is { } outcome ? Enum.Parse<VerdictOutcome>(outcome) : null,
            e.GetString("Regions") is { } regions ? JsonSerializer.Deserialize<List<string>>(regions, Json) : null,
            e.GetInt32("Count") ?? 1,
            e.GetInt64("LastMinute"));
        return new TimelineRecord(e.GetDateTimeOffset("At") ?? default, entry, e.GetDateTimeOffset("LastAt"));
    }

    private static AlertRecord ReadAlert(TableEntity e) => new(
        e.GetDateTimeOffset("At") ?? default,
        e.GetString("Destination"),
        Enum.Parse<ChannelKind>(e.GetString("Channel")),
        Enum.Parse<AlertKind>(e.GetString("Kind")),
        e.GetInt32("Sequence"),
        Enum.Parse<AlertStatus>(e.GetString("Status")));
}
