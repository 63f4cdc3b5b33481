using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Every message the app sends, with its delivery status, and the sending budget, in table
/// <c>deliveries</c>:
/// <code>
///   PartitionKey = &lt;deliveryId&gt;, RowKey ""      one message: sha256(idempotency key), 32 hex;
///                                              the message as JSON in one column (it holds no secret)
///   PartitionKey = "budget|&lt;kind&gt;", RowKey &lt;yyyyMMddHH&gt;   messages of a kind counted per UTC hour,
///                                              by priority (SendingBudget)
///   PartitionKey = "day|&lt;yyyyMMdd&gt;", RowKey &lt;deliveryId&gt;     the deliveries created that UTC day: how
///                                              retention finds old ones (ids are hashes)
/// </code>
/// A delivery row is written before the first try, so a message is never lost to a crash or a
/// failing provider: whoever finds it unfinished (a retry message, a repeated send with the same
/// key) carries on from what the row says. Every change is an If-Match write. The day index row
/// is written before the delivery it points at and deleted after it.
/// </summary>
public sealed class DeliveryStore(StorageClients clients)
{
    /// <summary>A message is one string column, and Table Storage keeps at most 32K characters in one.</summary>
    public const int MaxMessageChars = 30_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private TableClient Table => clients.Table(StorageNames.Deliveries);

    public static string Serialize(OutgoingMessage message) => JsonSerializer.Serialize(message, Json);

    public async Task<Delivery?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(KeyPart.Checked(id, nameof(id)), string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? Read(e) : null;
    }

    /// <summary>Creates the row: the stored delivery with its ETag, or null when a row with this id exists already.</summary>
    public async Task<Delivery?> TryAddAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await Table.UpsertEntityAsync(new TableEntity(DayPartition(delivery.CreatedAt), delivery.Id), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await Table.AddEntityAsync(Entity(delivery), cancellationToken).ConfigureAwait(false);
            return delivery with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="next"/> if the row is unchanged since <paramref name="current"/> was read; null when it changed or went.</summary>
    public async Task<Delivery?> ReplaceAsync(Delivery current, Delivery next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            var response = await Table.UpdateEntityAsync(Entity(next), current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return next with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.IsStale() || e.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>The hour's counts of a kind, with the ETag to write them back under (default: no row yet).</summary>
    public async Task<(BudgetUse Use, ETag ETag)> GetBudgetUseAsync(ChannelKind kind, DateTimeOffset hour, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(BudgetPartition(kind), HourKey(hour), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e
            ? (new BudgetUse(e.GetInt32("Alerts") ?? 0, e.GetInt32("Confirmations") ?? 0), e.ETag)
            : (new BudgetUse(0, 0), default);
    }

    /// <summary>Writes the hour's counts: creates the row when <paramref name="etag"/> is default, else If-Match. False when another instance wrote first.</summary>
    public async Task<bool> SaveBudgetUseAsync(ChannelKind kind, DateTimeOffset hour, BudgetUse use, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(use);
        var entity = new TableEntity(BudgetPartition(kind), HourKey(hour)) { ["Alerts"] = use.Alerts, ["Confirmations"] = use.Confirmations };
        try
        {
            if (etag == default)
            {
                await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict() || e.IsStale() || e.IsNotFound())
        {
            return false;
        }
    }

    // ── Retention ────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Deletes the deliveries created on UTC days before <paramref name="before"/>'s day, at most
    /// <paramref name="max"/> index rows' worth: each finished one (sent, failed) or untouched
    /// since then, and then its index row. An unfinished delivery still being worked on keeps
    /// both. Answers how many index rows it found.
    /// </summary>
    public async Task<int> DeleteOldAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {"day|"} and PartitionKey lt {DayPartition(before)}");
        var index = await TableBatches.KeysAsync(Table, filter, max, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(index, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (pointer, ct) =>
        {
            var delivery = await GetAsync(pointer.RowKey, ct).ConfigureAwait(false);
            if (delivery is not null && delivery.Status is DeliveryStatus.Sending or DeliveryStatus.Retrying && delivery.UpdatedAt >= before)
            {
                return;
            }

            if (delivery is null || await TableBatches.DeleteIfUnchangedAsync(Table, new TableEntity(delivery.Id, string.Empty) { ETag = delivery.ETag }, ct).ConfigureAwait(false))
            {
                await Table.DeleteEntityAsync(pointer.PartitionKey, pointer.RowKey, ETag.All, ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return index.Count;
    }

    /// <summary>Deletes at most <paramref name="max"/> budget rows of hours before <paramref name="hour"/>'s; answers how many it found.</summary>
    public Task<int> DeleteBudgetBeforeAsync(DateTimeOffset hour, int max, CancellationToken cancellationToken) =>
        TableBatches.DeleteSomeAsync(Table, TableClient.CreateQueryFilter($"PartitionKey ge {"budget|"} and PartitionKey lt {"budget}"} and RowKey lt {HourKey(hour)}"), max, cancellationToken);

    private static string DayPartition(DateTimeOffset at) => "day|" + at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string BudgetPartition(ChannelKind kind) => $"budget|{kind.ToString().ToLowerInvariant()}";

    private static string HourKey(DateTimeOffset hour) => hour.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    private static TableEntity Entity(Delivery d) => new(d.Id, string.Empty)
    {
        ["IdempotencyKey"] = d.IdempotencyKey,
        ["Message"] = Serialize(d.Message),
        ["Channel"] = d.Message.Channel.ToString(),
        ["Priority"] = d.Message.Priority.ToString(),
        ["Status"] = d.Status.ToString(),
        ["Transport"] = d.Transport?.ToString(),
        ["Attempts"] = d.Attempts,
        ["RequestId"] = d.RequestId,
        ["FirstSentAt"] = d.FirstSentAt,
        ["MayHaveBeenSent"] = d.MayHaveBeenSent,
        ["LeaseUntil"] = d.LeaseUntil,
        ["NextAttemptAt"] = d.NextAttemptAt,
        ["LastError"] = d.LastError,
        ["LastStatus"] = d.LastStatus,
        ["ProviderId"] = d.ProviderId,
        ["CreatedAt"] = d.CreatedAt,
        ["UpdatedAt"] = d.UpdatedAt,
        ["SentAt"] = d.SentAt,
    };

    private static Delivery Read(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("IdempotencyKey"),
        JsonSerializer.Deserialize<OutgoingMessage>(e.GetString("Message"), Json) ?? throw new InvalidDataException($"delivery {e.PartitionKey} has no message"),
        Enum.Parse<DeliveryStatus>(e.GetString("Status")),
        Enum.TryParse<DeliveryTransport>(e.GetString("Transport"), out var transport) ? transport : null,
        e.GetInt32("Attempts") ?? 0,
        e.GetGuid("RequestId") ?? Guid.Empty,
        e.GetDateTimeOffset("FirstSentAt") ?? default,
        e.GetBoolean("MayHaveBeenSent") ?? false,
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("UpdatedAt") ?? default)
    {
        LeaseUntil = e.GetDateTimeOffset("LeaseUntil"),
        NextAttemptAt = e.GetDateTimeOffset("NextAttemptAt"),
        LastError = e.GetString("LastError"),
        LastStatus = e.GetInt32("LastStatus"),
        ProviderId = e.GetString("ProviderId"),
        SentAt = e.GetDateTimeOffset("SentAt"),
        ETag = e.ETag,
    };
}
