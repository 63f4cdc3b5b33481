using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Monitors, their receivers and the indexes that find them, in table <c>monitors</c>:
/// <code>
///   PartitionKey = &lt;monitorId&gt;
///     RowKey "monitor"                      the monitor: definition, owner, state, certificate warned about
///     RowKey "receiver|&lt;sha256(email)&gt;"     an address invited to receive its alerts
///   PartitionKey = "account|&lt;accountId&gt;"
///     RowKey "owns|&lt;monitorId&gt;"             a monitor the account owns
///     RowKey "receives|&lt;monitorId&gt;"         a monitor whose invitation the account answered
///     RowKey "key|&lt;sha256(key)&gt;"            an Idempotency-Key of the account (IdempotencyRecord)
///   PartitionKey = "email|&lt;sha256(email)&gt;"
///     RowKey "invite|&lt;monitorId&gt;"           a monitor the address is invited to
///   PartitionKey = "deleted"
///     RowKey &lt;monitorId&gt;                    a deleted monitor whose history retention has yet to delete (DeletedMonitor)
/// </code>
/// By id: one point read. By owner or receiver: one range query of the account's pointers, then
/// point reads. A monitor with its receivers (alert routing): one partition query. Every monitor
/// for the probe cycle: one paged scan (RowKey eq 'monitor') selecting only what scheduling and
/// probing need. Pointers are written before the rows they point at and removed after them, so
/// a crash leaves at most a pointer to nothing, which readers skip. Nested values are JSON strings.
/// </summary>
public sealed class MonitorStore(StorageClients clients)
{
    private const string MonitorRow = "monitor";
    private const string ReceiverPrefix = "receiver|";
    private const string OwnsPrefix = "owns|";
    private const string ReceivesPrefix = "receives|";
    private const string KeyPrefix = "key|";
    private const string InvitePrefix = "invite|";
    private const string DeletedPartition = "deleted";
    private const int ReadConcurrency = 16;
    private const int ScanPageSize = 1000;

    private static readonly string[] ScheduleColumns =
        ["PartitionKey", "Type", "Target", "IntervalMinutes", "TimeoutSeconds", "Expect", "Regions", "Paused", "State", "CreatedAt", CertSha256, CertDaysLeft];

    // The certificate warned about (WarnedCertificate): absent until the first warning, removed when it no longer applies.
    private const string CertSha256 = "CertSha256";
    private const string CertDaysLeft = "CertDaysLeft";
    private const string CertExpiresAt = "CertExpiresAt";
    private const string CertSubject = "CertSubject";
    private const string CertWarnedAt = "CertWarnedAt";
    private static readonly string[] CertColumns = [CertSha256, CertDaysLeft, CertExpiresAt, CertSubject, CertWarnedAt];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => clients.Table(StorageNames.Monitors);

    public async Task<MonitorRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(KeyPart.Checked(id, nameof(id)), MonitorRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? ToMonitor(e) : null;
    }

    /// <summary>The monitor and everyone invited to receive its alerts, in one partition query; null when there is no such monitor.</summary>
    public async Task<(MonitorRecord Monitor, IReadOnlyList<Receiver> Receivers)?> GetWithReceiversAsync(string id, CancellationToken cancellationToken)
    {
        MonitorRecord? monitor = null;
        var receivers = new List<Receiver>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {KeyPart.Checked(id, nameof(id))}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.RowKey == MonitorRow)
            {
                monitor = ToMonitor(e);
            }
            else if (e.RowKey.StartsWith(ReceiverPrefix, StringComparison.Ordinal))
            {
                receivers.Add(ToReceiver(e));
            }
        }

        return monitor is null ? null : (monitor, [.. receivers.OrderBy(r => r.InvitedAt)]);
    }

    /// <summary>The monitors of these ids that exist, in the order given.</summary>
    public async Task<IReadOnlyList<MonitorRecord>> GetManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new List<MonitorRecord>();
        foreach (var batch in ids.Chunk(ReadConcurrency))
        {
            var monitors = await Task.WhenAll(batch.Select(id => GetAsync(id, cancellationToken))).ConfigureAwait(false);
            found.AddRange(monitors.OfType<MonitorRecord>());
        }

        return found;
    }

    /// <summary>The account's monitors, oldest first (then by id).</summary>
    public async Task<IReadOnlyList<MonitorRecord>> ListByOwnerAsync(string ownerId, CancellationToken cancellationToken)
    {
        var monitors = await GetManyAsync(await ListPointersAsync(ownerId, OwnsPrefix, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        // A pointer left by a create that did not finish points at nothing, or (never, but cheaply checked) at someone else's monitor.
        return [.. monitors.Where(m => m.OwnerId == ownerId).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];
    }

    /// <summary>How many monitors the account owns (pointers counted: a half-made create counts until it is finished or retried).</summary>
    public async Task<int> CountByOwnerAsync(string ownerId, CancellationToken cancellationToken) =>
        (await ListPointersAsync(ownerId, OwnsPrefix, cancellationToken).ConfigureAwait(false)).Count;

    /// <summary>
    /// Ids of the monitors whose invitation this account answered (accepted or refused: check
    /// the receiver's status before trusting one).
    /// </summary>
    public Task<IReadOnlyList<string>> ListReceivingIdsAsync(string accountId, CancellationToken cancellationToken) =>
        ListPointersAsync(accountId, ReceivesPrefix, cancellationToken);

    /// <summary>Ids of the monitors this address is invited to (any status).</summary>
    public async Task<IReadOnlyList<string>> ListInvitedIdsAsync(string emailHash, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var e in Range(EmailPartition(emailHash), InvitePrefix, ["RowKey"], cancellationToken).ConfigureAwait(false))
        {
            ids.Add(e.RowKey[InvitePrefix.Length..]);
        }

        return ids;
    }

    /// <summary>Stores a new monitor, with its owner's pointer first. False when the id is taken.</summary>
    public async Task<bool> CreateAsync(MonitorRecord monitor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        await UpsertPointerAsync(monitor.OwnerId, OwnsPrefix, monitor.Id, cancellationToken).ConfigureAwait(false);
        try
        {
            await Table.AddEntityAsync(MonitorEntity(monitor), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }

    /// <summary>
    /// Replaces the definition if the monitor is unchanged since <paramref name="monitor"/> was
    /// read (its ETag); false otherwise, or when it is gone. State columns are left alone.
    /// </summary>
    public async Task<bool> UpdateConfigAsync(MonitorRecord monitor, MonitorDefinition definition, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(definition);
        var entity = new TableEntity(monitor.Id, MonitorRow) { ["UpdatedAt"] = updatedAt };
        WriteDefinition(entity, definition);
        return await UpdateAsync(entity, monitor.ETag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records what the verdict step decided, if the monitor is unchanged since it was read
    /// (<paramref name="etag"/>, e.g. <see cref="ScheduledMonitor.ETag"/>); false when it changed
    /// or is gone. Touches only the state columns.
    /// </summary>
    public Task<bool> SetStateAsync(string id, MonitorState state, DateTimeOffset at, ETag etag, CancellationToken cancellationToken) =>
        UpdateAsync(
            new TableEntity(KeyPart.Checked(id, nameof(id)), MonitorRow) { ["State"] = state.ToString(), ["StateChangedAt"] = at },
            etag,
            cancellationToken);

    /// <summary>
    /// Records the certificate the monitor's destinations were just warned about, if the monitor
    /// is unchanged since it was read (<paramref name="etag"/>); false when it changed or is gone.
    /// Touches only the certificate columns.
    /// </summary>
    public Task<bool> SetWarnedCertificateAsync(string id, WarnedCertificate warned, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(warned);
        return UpdateAsync(
            new TableEntity(KeyPart.Checked(id, nameof(id)), MonitorRow)
            {
                [CertSha256] = warned.Sha256,
                [CertDaysLeft] = warned.DaysLeft,
                [CertExpiresAt] = warned.ExpiresAt,
                [CertSubject] = warned.Subject,
                [CertWarnedAt] = warned.WarnedAt,
            },
            etag,
            cancellationToken);
    }

    /// <summary>
    /// The days left of the certificate warned about, as the probes now count them, if the monitor
    /// is unchanged since it was read (<paramref name="etag"/>, e.g. <see cref="ScheduledMonitor.ETag"/>).
    /// </summary>
    public Task<bool> SetWarnedDaysLeftAsync(string id, int daysLeft, ETag etag, CancellationToken cancellationToken) =>
        UpdateAsync(new TableEntity(KeyPart.Checked(id, nameof(id)), MonitorRow) { [CertDaysLeft] = daysLeft }, etag, cancellationToken);

    /// <summary>
    /// Forgets the certificate warned about while it is still the one with <paramref name="sha256"/>
    /// (a newer warning recorded meanwhile stays). A merge cannot remove columns, so the row is
    /// read and replaced under its ETag; a lost race reads it again. False when there was nothing
    /// to forget, or the row kept changing (the next verdict step tries again).
    /// </summary>
    public async Task<bool> ClearWarnedCertificateAsync(string id, string sha256, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(KeyPart.Checked(id, nameof(id)), MonitorRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!row.HasValue || row.Value is not { } entity || entity.GetString(CertSha256) != sha256)
            {
                return false;
            }

            foreach (var column in CertColumns)
            {
                entity.Remove(column);
            }

            try
            {
                await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (e.IsStale() || e.IsNotFound())
            {
                // Changed since read (a state write, an edit): read it again.
            }
        }

        return false;
    }

    /// <summary>
    /// Deletes the monitor, its receivers and the pointers to it. An Idempotency-Key it was made
    /// with is marked spent first, so that no repeat of its request can bring it back, not even
    /// one racing this delete. The monitor row goes before its receivers and pointers: from that
    /// moment nothing alerts for it or shows it. Its results, rollups and incidents are left to the
    /// retention timer, which finds them by the tombstone written first.
    /// </summary>
    public async Task DeleteAsync(MonitorRecord monitor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        await Table.UpsertEntityAsync(new TableEntity(DeletedPartition, monitor.Id) { ["DeletedAt"] = at }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (monitor.IdempotencyKeyHash is { } keyHash)
        {
            await SpendIdempotencyKeyAsync(monitor.OwnerId, keyHash, monitor.Id, at, cancellationToken).ConfigureAwait(false);
        }

        var receivers = await ListReceiversAsync(monitor.Id, cancellationToken).ConfigureAwait(false);
        await Table.DeleteEntityAsync(monitor.Id, MonitorRow, ETag.All, cancellationToken).ConfigureAwait(false);
        foreach (var receiver in receivers)
        {
            await DeleteReceiverAsync(receiver, cancellationToken).ConfigureAwait(false);
        }

        await DeletePointerAsync(monitor.OwnerId, OwnsPrefix, monitor.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every monitor with only what the probe cycle needs, one page of the scan at a time (about
    /// one storage transaction per thousand monitors).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<ScheduledMonitor>> ListScheduledAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = Table.QueryAsync<TableEntity>($"RowKey eq '{MonitorRow}'", ScanPageSize, ScheduleColumns, cancellationToken).AsPages();
        await foreach (var page in pages.ConfigureAwait(false))
        {
            yield return [.. page.Values.Select(ToScheduled)];
        }
    }

    // ── Retention ────────────────────────────────────────────────────────────────────────

    /// <summary>At most <paramref name="max"/> tombstones of deleted monitors, oldest id first.</summary>
    public async Task<IReadOnlyList<DeletedMonitor>> ListDeletedAsync(int max, CancellationToken cancellationToken) =>
        [.. (await TableBatches.KeysAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {DeletedPartition}"), max, cancellationToken, "DeletedAt").ConfigureAwait(false))
            .Select(e => new DeletedMonitor(e.RowKey, e.GetDateTimeOffset("DeletedAt") ?? default) { ETag = e.ETag })];

    /// <summary>Removes a tombstone if unchanged since read (a monitor deleted again meanwhile wrote a new one).</summary>
    public Task<bool> ForgetDeletedAsync(DeletedMonitor deleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        return TableBatches.DeleteIfUnchangedAsync(Table, new TableEntity(DeletedPartition, deleted.Id) { ETag = deleted.ETag }, cancellationToken);
    }

    /// <summary>
    /// Deletes at most <paramref name="max"/> Idempotency-Key records of any account made before
    /// <paramref name="before"/> (past their 24 hours, spent ones included: the key is forgotten
    /// either way); answers how many it found. A key claimed again meanwhile stays.
    /// </summary>
    public async Task<int> DeleteIdempotencyBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {"account|"} and PartitionKey lt {"account}"} and RowKey ge {KeyPrefix} and RowKey lt {"key}"} and CreatedAt lt {before}");
        var expired = await TableBatches.KeysAsync(Table, filter, max, cancellationToken).ConfigureAwait(false);
        await TableBatches.DeleteEachIfUnchangedAsync(Table, expired, cancellationToken).ConfigureAwait(false);
        return expired.Count;
    }

    // ── Idempotency keys ─────────────────────────────────────────────────────────────────

    public async Task<IdempotencyRecord?> GetIdempotencyAsync(string ownerId, string keyHash, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(AccountPartition(ownerId), KeyRow(keyHash), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? ToIdempotency(e) : null;
    }

    /// <summary>
    /// Claims a key for a new monitor: creates its record, or (when <paramref name="record"/>
    /// has the ETag of an expired one) replaces it. False when another request claimed it first.
    /// </summary>
    public Task<bool> ClaimIdempotencyAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return SaveAsync(IdempotencyEntity(record), record.ETag, cancellationToken);
    }

    /// <summary>The account's key records, expired ones included (for pruning).</summary>
    public async Task<IReadOnlyList<IdempotencyRecord>> ListIdempotencyAsync(string ownerId, CancellationToken cancellationToken)
    {
        var records = new List<IdempotencyRecord>();
        await foreach (var e in Range(AccountPartition(ownerId), KeyPrefix, null, cancellationToken).ConfigureAwait(false))
        {
            records.Add(ToIdempotency(e));
        }

        return records;
    }

    /// <summary>Forgets a key record if unchanged since read (an expired one: its monitor, if any, stays).</summary>
    public async Task DeleteIdempotencyAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            await Table.DeleteEntityAsync(AccountPartition(record.OwnerId), KeyRow(record.KeyHash), record.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.IsStale())
        {
            // Claimed again meanwhile: it is someone's live key now.
        }
    }

    // ── Receivers ────────────────────────────────────────────────────────────────────────

    public async Task<Receiver?> GetReceiverAsync(string monitorId, string emailHash, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(KeyPart.Checked(monitorId, nameof(monitorId)), ReceiverRow(emailHash), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? ToReceiver(e) : null;
    }

    /// <summary>Everyone invited to receive the monitor's alerts, oldest invitation first.</summary>
    public async Task<IReadOnlyList<Receiver>> ListReceiversAsync(string monitorId, CancellationToken cancellationToken)
    {
        var receivers = new List<Receiver>();
        await foreach (var e in Range(KeyPart.Checked(monitorId, nameof(monitorId)), ReceiverPrefix, null, cancellationToken).ConfigureAwait(false))
        {
            receivers.Add(ToReceiver(e));
        }

        return [.. receivers.OrderBy(r => r.InvitedAt)];
    }

    /// <summary>Stores an invitation, with the address's pointer first. False when the address is invited already.</summary>
    public async Task<bool> CreateReceiverAsync(Receiver receiver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        await Table.UpsertEntityAsync(new TableEntity(EmailPartition(receiver.EmailHash), InvitePrefix + receiver.MonitorId), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (receiver.AccountId is { } accountId)
        {
            await UpsertPointerAsync(accountId, ReceivesPrefix, receiver.MonitorId, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await Table.AddEntityAsync(ReceiverEntity(receiver), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }

    /// <summary>
    /// Writes a changed receiver if unchanged since read (its ETag); false otherwise, or when it
    /// is gone. When an account has answered, its pointer is written first.
    /// </summary>
    public async Task<bool> UpdateReceiverAsync(Receiver receiver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (receiver.AccountId is { } accountId)
        {
            await UpsertPointerAsync(accountId, ReceivesPrefix, receiver.MonitorId, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await Table.UpdateEntityAsync(ReceiverEntity(receiver), receiver.ETag == default ? ETag.All : receiver.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsStale() || e.IsNotFound())
        {
            return false;
        }
    }

    /// <summary>Removes an invitation or subscription, then the pointers to it.</summary>
    public async Task DeleteReceiverAsync(Receiver receiver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        await Table.DeleteEntityAsync(receiver.MonitorId, ReceiverRow(receiver.EmailHash), ETag.All, cancellationToken).ConfigureAwait(false);
        await Table.DeleteEntityAsync(EmailPartition(receiver.EmailHash), InvitePrefix + receiver.MonitorId, ETag.All, cancellationToken).ConfigureAwait(false);
        if (receiver.AccountId is { } accountId)
        {
            await DeletePointerAsync(accountId, ReceivesPrefix, receiver.MonitorId, cancellationToken).ConfigureAwait(false);
        }
    }

    // ── Rows ─────────────────────────────────────────────────────────────────────────────

    private static string AccountPartition(string accountId) => $"account|{KeyPart.Checked(accountId, nameof(accountId))}";

    private static string EmailPartition(string emailHash) => $"email|{KeyPart.Checked(emailHash, nameof(emailHash))}";

    private static string KeyRow(string keyHash) => KeyPrefix + KeyPart.Checked(keyHash, nameof(keyHash));

    private static string ReceiverRow(string emailHash) => ReceiverPrefix + KeyPart.Checked(emailHash, nameof(emailHash));

    private async Task<IReadOnlyList<string>> ListPointersAsync(string accountId, string prefix, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var e in Range(AccountPartition(accountId), prefix, ["RowKey"], cancellationToken).ConfigureAwait(false))
        {
            ids.Add(e.RowKey[prefix.Length..]);
        }

        return ids;
    }

    private Task UpsertPointerAsync(string accountId, string prefix, string monitorId, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(AccountPartition(accountId), prefix + KeyPart.Checked(monitorId, nameof(monitorId))), TableUpdateMode.Replace, cancellationToken);

    // The SDK answers a missing row with its 404 response instead of throwing.
    private Task DeletePointerAsync(string accountId, string prefix, string monitorId, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(AccountPartition(accountId), prefix + monitorId, ETag.All, cancellationToken);

    /// <summary>The rows of a partition whose RowKey starts with <paramref name="prefix"/> ('|' + 1 is '}').</summary>
    private AsyncPageable<TableEntity> Range(string partition, string prefix, IEnumerable<string>? select, CancellationToken cancellationToken) =>
        Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + '}'}"),
            select: select,
            cancellationToken: cancellationToken);

    private async Task SpendIdempotencyKeyAsync(string ownerId, string keyHash, string monitorId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var record = await GetIdempotencyAsync(ownerId, keyHash, cancellationToken).ConfigureAwait(false);
            if (record is null || record.MonitorId != monitorId || record.DeletedAt is not null)
            {
                // Expired and pruned, or reused for another monitor after it expired: not this monitor's key any more.
                return;
            }

            if (await SaveAsync(IdempotencyEntity(record with { DeletedAt = at }), record.ETag, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        throw Refusal.Busy("the monitor kept changing while being deleted; try again");
    }

    private async Task<bool> UpdateAsync(TableEntity entity, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(entity, etag == default ? ETag.All : etag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsStale() || e.IsNotFound())
        {
            return false;
        }
    }

    private async Task<bool> SaveAsync(TableEntity entity, ETag etag, CancellationToken cancellationToken)
    {
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

    private static TableEntity MonitorEntity(MonitorRecord m)
    {
        var entity = new TableEntity(KeyPart.Checked(m.Id, nameof(m)), MonitorRow)
        {
            ["OwnerId"] = m.OwnerId,
            ["State"] = m.State.ToString(),
            ["StateChangedAt"] = m.StateChangedAt,
            ["CreatedAt"] = m.CreatedAt,
            ["UpdatedAt"] = m.UpdatedAt,
            ["IdempotencyKey"] = m.IdempotencyKeyHash,
        };
        WriteDefinition(entity, m.Definition);
        return entity;
    }

    private static void WriteDefinition(TableEntity entity, MonitorDefinition d)
    {
        entity["Name"] = d.Name;
        entity["Type"] = d.Type.Name();
        entity["Target"] = d.Target;
        entity["IntervalMinutes"] = d.IntervalMinutes;
        entity["TimeoutSeconds"] = d.TimeoutSeconds;
        entity["Expect"] = JsonSerializer.Serialize(d.Expect, ProbeJson.Default.ProbeExpect);
        entity["AlertDelayMinutes"] = d.AlertDelayMinutes;
        entity["Escalation"] = JsonSerializer.Serialize(d.Escalation, Json);
        entity["RepeatMinutes"] = d.RepeatMinutes;
        entity["RecoveryPasses"] = d.RecoveryPasses;
        entity["Public"] = d.Public;
        entity["Regions"] = JsonSerializer.Serialize(d.Regions, Json);
        entity["Paused"] = d.Paused;
    }

    private static MonitorRecord ToMonitor(TableEntity e) =>
        new(
            e.PartitionKey,
            e.GetString("OwnerId"),
            new MonitorDefinition(
                e.GetString("Name"),
                TypeOf(e),
                e.GetString("Target"),
                e.GetInt32("IntervalMinutes") ?? 0,
                e.GetInt32("TimeoutSeconds") ?? 0,
                ExpectOf(e),
                e.GetInt32("AlertDelayMinutes") ?? 0,
                JsonSerializer.Deserialize<IReadOnlyList<EscalationStep>>(e.GetString("Escalation") ?? "null", Json),
                e.GetInt32("RepeatMinutes") ?? 0,
                e.GetInt32("RecoveryPasses") ?? 0,
                e.GetBoolean("Public") == true,
                RegionsOf(e),
                e.GetBoolean("Paused") == true),
            StateOf(e),
            e.GetDateTimeOffset("StateChangedAt"),
            e.GetDateTimeOffset("CreatedAt") ?? default,
            e.GetDateTimeOffset("UpdatedAt") ?? default)
        {
            IdempotencyKeyHash = e.GetString("IdempotencyKey"),
            Certificate = e.GetString(CertSha256) is { } sha256
                ? new WarnedCertificate(sha256, e.GetInt32(CertDaysLeft) ?? 0, e.GetDateTimeOffset(CertExpiresAt) ?? default, e.GetString(CertSubject) ?? string.Empty, e.GetDateTimeOffset(CertWarnedAt) ?? default)
                : null,
            ETag = e.ETag,
        };

    private static ScheduledMonitor ToScheduled(TableEntity e) =>
        new(
            e.PartitionKey,
            TypeOf(e),
            e.GetString("Target"),
            e.GetInt32("IntervalMinutes") ?? 0,
            e.GetInt32("TimeoutSeconds") ?? 0,
            ExpectOf(e),
            RegionsOf(e),
            e.GetBoolean("Paused") == true,
            StateOf(e),
            e.GetDateTimeOffset("CreatedAt") ?? default,
            e.ETag)
        {
            WarnedSha256 = e.GetString(CertSha256),
            WarnedDaysLeft = e.GetInt32(CertDaysLeft),
        };

    private static ProbeType TypeOf(TableEntity e) =>
        ProbeTypes.TryParse(e.GetString("Type") ?? string.Empty, out var type) ? type : throw new InvalidDataException($"monitor {e.PartitionKey} has an unknown type");

    private static ProbeExpect ExpectOf(TableEntity e) => e.GetString("Expect") is { } json ? ProbeJson.ParseExpect(json) : ProbeExpect.None;

    private static IReadOnlyList<string>? RegionsOf(TableEntity e) => JsonSerializer.Deserialize<IReadOnlyList<string>>(e.GetString("Regions") ?? "null", Json);

    private static MonitorState StateOf(TableEntity e) => Enum.TryParse<MonitorState>(e.GetString("State"), out var state) ? state : MonitorState.Unknown;

    private static TableEntity IdempotencyEntity(IdempotencyRecord r) => new(AccountPartition(r.OwnerId), KeyRow(r.KeyHash))
    {
        ["MonitorId"] = r.MonitorId,
        ["RequestHash"] = r.RequestHash,
        ["CreatedAt"] = r.CreatedAt,
        ["DeletedAt"] = r.DeletedAt,
    };

    private static IdempotencyRecord ToIdempotency(TableEntity e) =>
        new(
            e.PartitionKey["account|".Length..],
            e.RowKey[KeyPrefix.Length..],
            e.GetString("MonitorId"),
            e.GetString("RequestHash"),
            e.GetDateTimeOffset("CreatedAt") ?? default,
            e.GetDateTimeOffset("DeletedAt"))
        {
            ETag = e.ETag,
        };

    private static TableEntity ReceiverEntity(Receiver r) => new(KeyPart.Checked(r.MonitorId, nameof(r)), ReceiverRow(r.EmailHash))
    {
        ["Email"] = r.Email,
        ["Status"] = r.Status.ToString(),
        ["AccountId"] = r.AccountId,
        ["Escalation"] = JsonSerializer.Serialize(r.Escalation, Json),
        ["RepeatMinutes"] = r.RepeatMinutes,
        ["InvitedAt"] = r.InvitedAt,
        ["RespondedAt"] = r.RespondedAt,
        ["InvitesSent"] = TimeList.Write(r.InvitesSent),
    };

    private static Receiver ToReceiver(TableEntity e) =>
        new(
            e.PartitionKey,
            e.RowKey[ReceiverPrefix.Length..],
            e.GetString("Email"),
            Enum.TryParse<ReceiverStatus>(e.GetString("Status"), out var status) ? status : ReceiverStatus.Invited,
            e.GetString("AccountId"),
            JsonSerializer.Deserialize<IReadOnlyList<EscalationStep>>(e.GetString("Escalation") ?? "null", Json),
            e.GetInt32("RepeatMinutes"),
            e.GetDateTimeOffset("InvitedAt") ?? default,
            e.GetDateTimeOffset("RespondedAt"),
            TimeList.Read(e.GetString("InvitesSent")))
        {
            ETag = e.ETag,
        };
}
