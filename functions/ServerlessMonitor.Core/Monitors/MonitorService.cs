using System.Text.Json;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// Registering and changing monitors (DESIGN.md, data flow 1). <see cref="MonitorInput"/> reads
/// a request; here come the checks that need the world (the owner's channels, the SSRF policy,
/// the account's count) and the writes. Only the owner changes a monitor; what a change means
/// for an open incident is returned, for the caller to carry out.
/// </summary>
public sealed class MonitorService(
    MonitorStore store,
    MonitorAccess access,
    IOwnChannels ownChannels,
    TargetPolicy targets,
    MonitorConfig config,
    UptimeRecorder uptime,
    TimeProvider time)
{
    private const int Tries = 5;

    /// <summary>
    /// Registers a monitor; Created is false for a repeat of an earlier request with the same
    /// Idempotency-Key, which answers with the monitor that request made. The key within its 24
    /// hours: a different request is refused, and so is any request once its monitor was deleted.
    /// </summary>
    public async Task<(MonitorRecord Monitor, bool Created)> CreateAsync(Caller caller, JsonElement body, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (key is null)
        {
            var edit = await CheckedCreateAsync(caller.AccountId, body, cancellationToken).ConfigureAwait(false);
            return (await StoreNewAsync(caller.AccountId, Ids.New(Ids.Monitor), edit, null, cancellationToken).ConfigureAwait(false), true);
        }

        var requestHash = RequestHash.Of(body);
        for (var tries = 0; tries < Tries; tries++)
        {
            var now = time.GetUtcNow();
            var record = await store.GetIdempotencyAsync(caller.AccountId, key.Hash, cancellationToken).ConfigureAwait(false);
            if (record is not null && now < record.CreatedAt + MonitorLimits.IdempotencyKeyLifetime)
            {
                return await RepeatAsync(caller.AccountId, record, requestHash, body, cancellationToken).ConfigureAwait(false);
            }

            var edit = await CheckedCreateAsync(caller.AccountId, body, cancellationToken).ConfigureAwait(false);
            var claim = new IdempotencyRecord(caller.AccountId, key.Hash, Ids.New(Ids.Monitor), requestHash, now, null) { ETag = record?.ETag ?? default };
            if (!await store.ClaimIdempotencyAsync(claim, cancellationToken).ConfigureAwait(false))
            {
                // A concurrent request with the same key claimed it first: answer as its repeat.
                continue;
            }

            var monitor = await StoreNewAsync(caller.AccountId, claim.MonitorId, edit, key.Hash, cancellationToken).ConfigureAwait(false);
            await PruneExpiredKeysAsync(caller.AccountId, now, cancellationToken).ConfigureAwait(false);
            return (monitor, true);
        }

        throw Refusal.Busy("requests with this Idempotency-Key keep racing; try again");
    }

    /// <summary>The caller's own monitors and those whose alerts it accepted to receive, oldest first.</summary>
    public async Task<IReadOnlyList<(MonitorRecord Monitor, AccessLevel Access)>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var listed = (await store.ListByOwnerAsync(caller.AccountId, cancellationToken).ConfigureAwait(false)).Select(m => (m, AccessLevel.Owner)).ToList();
        foreach (var id in await store.ListReceivingIdsAsync(caller.AccountId, cancellationToken).ConfigureAwait(false))
        {
            if (await store.GetWithReceiversAsync(id, cancellationToken).ConfigureAwait(false) is { } found
                && MonitorAccess.Decide(found.Monitor, found.Receivers, caller.AccountId) == AccessLevel.Receiver)
            {
                listed.Add((found.Monitor, AccessLevel.Receiver));
            }
        }

        return [.. listed.OrderBy(l => l.Item1.CreatedAt).ThenBy(l => l.Item1.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Applies a patch (owner only: 404 for who cannot see the monitor, 403 for who only reads it).
    /// The probe cycle writes state at any time, each write a new ETag: read, apply, write under the
    /// ETag, and start over if someone wrote in between.
    /// </summary>
    public async Task<MonitorChange> UpdateAsync(Caller caller, string monitorId, JsonElement body, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < Tries; tries++)
        {
            var monitor = await access.OwnedAsync(caller, monitorId, cancellationToken).ConfigureAwait(false);
            var edit = MonitorInput.ParsePatch(monitor.Definition, body, config.Regions);
            await CheckWorldAsync(monitor.OwnerId, edit, create: false, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (await store.UpdateConfigAsync(monitor, edit.Definition, now, cancellationToken).ConfigureAwait(false))
            {
                // Paused time is maintenance (docs/UPTIME.md). On every request that names it, so a
                // retry after a failure here still records it; a pause already on keeps its start.
                if (edit.Names("paused"))
                {
                    await (edit.Definition.Paused
                        ? uptime.PausedAsync(monitor.Id, now, cancellationToken)
                        : uptime.RunningAsync(monitor.Id, now, cancellationToken)).ConfigureAwait(false);
                }

                var pauses = edit.Names("paused") && edit.Definition.Paused;
                return new MonitorChange(monitor with { Definition = edit.Definition, UpdatedAt = now }, pauses ? QuietEnd.Paused : null);
            }
        }

        throw Refusal.Busy("the monitor kept changing while being updated; try again");
    }

    /// <summary>Deletes a monitor (owner only); its results and incidents stay.</summary>
    public async Task<MonitorChange> DeleteAsync(Caller caller, string monitorId, CancellationToken cancellationToken)
    {
        var monitor = await access.OwnedAsync(caller, monitorId, cancellationToken).ConfigureAwait(false);
        await store.DeleteAsync(monitor, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new MonitorChange(monitor, QuietEnd.Deleted);
    }

    private async Task<(MonitorRecord Monitor, bool Created)> RepeatAsync(string ownerId, IdempotencyRecord record, string requestHash, JsonElement body, CancellationToken cancellationToken)
    {
        if (record.RequestHash != requestHash)
        {
            throw new Refusal(RefusalKind.Conflict, "idempotency_conflict", "this Idempotency-Key was used for a different request; use a new key for a new monitor");
        }

        if (record.DeletedAt is not null)
        {
            throw new Refusal(RefusalKind.Conflict, "idempotency_conflict", "the monitor this Idempotency-Key created was deleted; use a new key to create another");
        }

        if (await store.GetAsync(record.MonitorId, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            return (earlier, false);
        }

        // The first request stopped between claiming the key and storing its monitor: finish its work.
        var edit = await CheckedCreateAsync(ownerId, body, cancellationToken).ConfigureAwait(false);
        return (await StoreNewAsync(ownerId, record.MonitorId, edit, record.KeyHash, cancellationToken).ConfigureAwait(false), true);
    }

    private async Task<MonitorEdit> CheckedCreateAsync(string ownerId, JsonElement body, CancellationToken cancellationToken)
    {
        var edit = MonitorInput.ParseCreate(body, config.Regions);
        await CheckWorldAsync(ownerId, edit, create: true, cancellationToken).ConfigureAwait(false);
        if (await store.CountByOwnerAsync(ownerId, cancellationToken).ConfigureAwait(false) >= MonitorLimits.MaxPerAccount)
        {
            throw new Refusal(RefusalKind.Conflict, "too_many_monitors", $"an account has at most {MonitorLimits.MaxPerAccount} monitors; delete one first");
        }

        return edit;
    }

    private async Task<MonitorRecord> StoreNewAsync(string ownerId, string id, MonitorEdit edit, string? keyHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var monitor = new MonitorRecord(id, ownerId, edit.Definition, MonitorState.Unknown, null, now, now) { IdempotencyKeyHash = keyHash };
        if (await store.CreateAsync(monitor, cancellationToken).ConfigureAwait(false))
        {
            return monitor;
        }

        // Only a finishing repeat can meet a taken id: another repeat finished first.
        return await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw Refusal.Busy("try again");
    }

    /// <summary>
    /// The checks that need more than the request. A patch re-checks only what it names: a channel
    /// deleted later must not block renaming a monitor.
    /// </summary>
    private async Task CheckWorldAsync(string ownerId, MonitorEdit edit, bool create, CancellationToken cancellationToken)
    {
        var definition = edit.Definition;
        if (definition.Escalation is { } steps && (create || edit.Names("escalation")))
        {
            var ids = steps.SelectMany(s => s.Channels).Distinct(StringComparer.Ordinal).ToList();
            var notOwned = await ownChannels.NotOwnedAsync(ownerId, ids, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < steps.Count; i++)
            {
                var j = steps[i].Channels.ToList().FindIndex(notOwned.Contains);
                if (j >= 0)
                {
                    throw Refusal.Invalid($"{steps[i].Channels[j]} is not one of your channels", $"escalation.{i}.channels.{j}");
                }
            }
        }

        if (create || edit.Names("type") || edit.Names("target") || edit.Names("expect"))
        {
            if (await targets.RefusalAsync(definition.Type, edit.Target, definition.Expect, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                throw new Refusal(RefusalKind.Invalid, "target_not_allowed", refusal.Message, refusal.Field);
            }
        }
    }

    /// <summary>Keys live a day; each create with a key forgets the account's expired ones, so they cannot pile up.</summary>
    private async Task PruneExpiredKeysAsync(string ownerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var record in await store.ListIdempotencyAsync(ownerId, cancellationToken).ConfigureAwait(false))
        {
            if (now >= record.CreatedAt + MonitorLimits.IdempotencyKeyLifetime)
            {
                await store.DeleteIdempotencyAsync(record, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
