using Azure;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Accounts and everything that belongs to one, in table <c>accounts</c>:
/// <code>
///   PartitionKey = &lt;accountId&gt;        one partition per account, so activation (profile, first
///     RowKey "profile"                  channel, first key) is one atomic batch and "my keys"
///     RowKey "channel|&lt;channelId&gt;"     is one range query
///     RowKey "key|&lt;keyId&gt;"             the record a request's API key points at
///     RowKey "limit|invitations"        recent invitations the account sent (the daily budget)
///   PartitionKey = "email|&lt;sha256(address)&gt;", RowKey "account"   the address's account, recent sign-ups
///   PartitionKey = "limit|&lt;scope&gt;", RowKey "signups"             recent sign-ups per client network, and of all
/// </code>
/// A pending profile or channel row carries ExpiresAt (its last link's expiry): past it a channel
/// is treated as absent, and the retention timer deletes both; verified channels and active
/// accounts do not expire. Sign-up limit rows go once their times are past every window.
/// </summary>
public sealed class AccountStore(StorageClients clients)
{
    private const string Profile = "profile";
    private const string IndexRow = "account";
    private const string LimitRow = "signups";
    private const string InvitationsRow = "limit|invitations";

    private TableClient Table => clients.Table(StorageNames.Accounts);

    public async Task<EmailIndex?> GetEmailIndexAsync(string emailHash, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(EmailPartition(emailHash), IndexRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e
            ? new EmailIndex(emailHash, e.GetString("AccountId"), TimeList.Read(e.GetString("Signups")), e.ETag)
            : null;
    }

    /// <summary>Creates the index (when <paramref name="index"/> has no ETag) or updates it under its ETag; false when another request got there first.</summary>
    public Task<bool> SaveEmailIndexAsync(EmailIndex index, CancellationToken cancellationToken) =>
        SaveAsync(
            new TableEntity(EmailPartition(index.EmailHash), IndexRow) { ["AccountId"] = index.AccountId, ["Signups"] = TimeList.Write(index.Signups) },
            index.ETag,
            cancellationToken);

    /// <summary>Recent sign-up times under a limit's scope, with the ETag to write them back under.</summary>
    public async Task<(IReadOnlyList<DateTimeOffset> Times, ETag ETag)> GetSignupTimesAsync(string scope, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(LimitPartition(scope), LimitRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? (TimeList.Read(e.GetString("Times")), e.ETag) : ([], default);
    }

    public Task<bool> SaveSignupTimesAsync(string scope, IEnumerable<DateTimeOffset> times, ETag etag, CancellationToken cancellationToken) =>
        SaveAsync(new TableEntity(LimitPartition(scope), LimitRow) { ["Times"] = TimeList.Write(times) }, etag, cancellationToken);

    /// <summary>Recent invitations the account sent, with the ETag to write them back under.</summary>
    public async Task<(IReadOnlyList<DateTimeOffset> Times, ETag ETag)> GetInvitationTimesAsync(string accountId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(accountId, InvitationsRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? (TimeList.Read(e.GetString("Times")), e.ETag) : ([], default);
    }

    /// <summary>False when another request wrote them since they were read.</summary>
    public Task<bool> SaveInvitationTimesAsync(string accountId, IEnumerable<DateTimeOffset> times, ETag etag, CancellationToken cancellationToken) =>
        SaveAsync(new TableEntity(accountId, InvitationsRow) { ["Times"] = TimeList.Write(times) }, etag, cancellationToken);

    public async Task<AccountProfile?> GetProfileAsync(string accountId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(accountId, Profile, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is not { } e)
        {
            return null;
        }

        return new AccountProfile(
            accountId,
            e.GetString("Email"),
            e.GetString("Name"),
            Enum.Parse<AccountStatus>(e.GetString("Status")),
            e.GetDateTimeOffset("CreatedAt") ?? default,
            e.GetDateTimeOffset("ActivatedAt"),
            e.GetDateTimeOffset("ExpiresAt"),
            e.ETag);
    }

    /// <summary>Creates a pending profile, or moves the expiry of an existing pending one; an active one is left as it is.</summary>
    public async Task<AccountProfile> EnsurePendingAsync(string accountId, string email, string? name, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var existing = await GetProfileAsync(accountId, cancellationToken).ConfigureAwait(false);
            if (existing is { Status: AccountStatus.Active })
            {
                return existing;
            }

            var entity = new TableEntity(accountId, Profile)
            {
                ["Email"] = email,
                ["Name"] = existing is null ? name : existing.Name,
                ["Status"] = nameof(AccountStatus.Pending),
                ["CreatedAt"] = existing?.CreatedAt ?? now,
                ["ExpiresAt"] = expiresAt,
            };
            if (await SaveAsync(entity, existing?.ETag ?? default, cancellationToken).ConfigureAwait(false))
            {
                return (await GetProfileAsync(accountId, cancellationToken).ConfigureAwait(false))!;
            }
        }

        throw Refusal.Busy("this address is being signed up by another request; try again");
    }

    /// <summary>
    /// Pending → active together with the first verified email channel and the first key, all or
    /// nothing; false when the profile changed since it was read.
    /// </summary>
    public async Task<bool> ActivateAsync(AccountProfile profile, string channelId, KeyRecord key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var activated = new TableEntity(profile.Id, Profile)
        {
            ["Email"] = profile.Email,
            ["Name"] = profile.Name,
            ["Status"] = nameof(AccountStatus.Active),
            ["CreatedAt"] = profile.CreatedAt,
            ["ActivatedAt"] = now,
        };
        var channel = ChannelEntity(new Channel(channelId, profile.Id, ChannelKind.Email, profile.Email, ChannelStatus.Verified, now, now, null, null, [], default));
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.UpdateReplace, activated, profile.ETag),
            new(TableTransactionActionType.UpsertReplace, channel),
            new(TableTransactionActionType.Add, KeyEntity(key)),
        ];
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            return false;
        }
    }

    public async Task<KeyRecord?> GetKeyAsync(string accountId, string keyId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(accountId, KeyRow(keyId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? ToKey(e) : null;
    }

    public async Task AddKeyAsync(KeyRecord key, CancellationToken cancellationToken) =>
        await Table.AddEntityAsync(KeyEntity(key), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<KeyRecord>> ListKeysAsync(string accountId, CancellationToken cancellationToken)
    {
        var keys = new List<KeyRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {"key|"} and RowKey lt {"key}"}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ToKey(e));
        }

        return keys;
    }

    /// <summary>False when there was no such key.</summary>
    public async Task<bool> DeleteKeyAsync(string accountId, string keyId, CancellationToken cancellationToken)
    {
        // The SDK answers a missing row with its 404 response instead of throwing.
        var response = await Table.DeleteEntityAsync(accountId, KeyRow(keyId), ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<Channel?> GetChannelAsync(string accountId, string channelId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(accountId, ChannelRow(channelId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? ToChannel(e) : null;
    }

    /// <summary>Every channel row of the account, expired pending ones included, in no particular order.</summary>
    public async Task<IReadOnlyList<Channel>> ListChannelsAsync(string accountId, CancellationToken cancellationToken)
    {
        var channels = new List<Channel>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {"channel|"} and RowKey lt {"channel}"}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            channels.Add(ToChannel(e));
        }

        return channels;
    }

    /// <summary>Creates the row (when <paramref name="channel"/> has no ETag) or replaces it under its ETag; false when another request got there first.</summary>
    public Task<bool> SaveChannelAsync(Channel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return SaveAsync(ChannelEntity(channel), channel.ETag, cancellationToken);
    }

    /// <summary>False when there was no such channel.</summary>
    public async Task<bool> DeleteChannelAsync(string accountId, string channelId, CancellationToken cancellationToken)
    {
        var response = await Table.DeleteEntityAsync(accountId, ChannelRow(channelId), ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    // ── Retention ────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Deletes at most <paramref name="max"/> pending accounts whose last link expired before
    /// <paramref name="now"/>, each with its address's index row (which an active account never
    /// loses: the profile goes only if still pending and unchanged, the index only if it still
    /// names that account and is unchanged); answers how many it found.
    /// </summary>
    public async Task<int> DeleteExpiredPendingAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {Profile} and Status eq {nameof(AccountStatus.Pending)} and ExpiresAt lt {now}");
        var expired = await TableBatches.KeysAsync(Table, filter, max, cancellationToken, "Email").ConfigureAwait(false);
        foreach (var profile in expired)
        {
            if (!await TableBatches.DeleteIfUnchangedAsync(Table, profile, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            // The index is the pointer: it goes after the profile it points at.
            var index = await Table.GetEntityIfExistsAsync<TableEntity>(EmailPartition(Ids.Sha256Hex(profile.GetString("Email"))), IndexRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (index.HasValue && index.Value is { } row && row.GetString("AccountId") == profile.PartitionKey)
            {
                await TableBatches.DeleteIfUnchangedAsync(Table, row, cancellationToken).ConfigureAwait(false);
            }
        }

        return expired.Count;
    }

    /// <summary>Deletes at most <paramref name="max"/> pending channels whose last link expired before <paramref name="now"/>; answers how many it found.</summary>
    public async Task<int> DeleteExpiredChannelsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"channel|"} and RowKey lt {"channel}"} and Status eq {"pending"} and ExpiresAt lt {now}");
        var expired = await TableBatches.KeysAsync(Table, filter, max, cancellationToken).ConfigureAwait(false);
        await TableBatches.DeleteEachIfUnchangedAsync(Table, expired, cancellationToken).ConfigureAwait(false);
        return expired.Count;
    }

    /// <summary>
    /// Deletes at most <paramref name="max"/> sign-up limit rows (per client network) whose latest
    /// sign-up is before <paramref name="before"/>: they no longer limit anything. Answers how many it deleted.
    /// </summary>
    public async Task<int> DeleteStaleSignupTimesAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {"limit|"} and PartitionKey lt {"limit}"} and RowKey eq {LimitRow}");
        var stale = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Times"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (TimeList.Read(row.GetString("Times")).All(t => t < before))
            {
                stale.Add(row);
                if (stale.Count >= max)
                {
                    break;
                }
            }
        }

        return await TableBatches.DeleteEachIfUnchangedAsync(Table, stale, cancellationToken).ConfigureAwait(false);
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

    private static string EmailPartition(string emailHash) => $"email|{emailHash}";

    private static string LimitPartition(string scope) => $"limit|{scope}";

    private static string KeyRow(string keyId) => $"key|{keyId}";

    private static string ChannelRow(string channelId) => $"channel|{channelId}";

    // Kind and status are stored as their lower-case names, as activation writes the first channel.
    private static TableEntity ChannelEntity(Channel c) => new(c.AccountId, ChannelRow(c.Id))
    {
        ["Kind"] = c.Kind.ToString().ToLowerInvariant(),
        ["Address"] = c.Address,
        ["Status"] = c.Status.ToString().ToLowerInvariant(),
        ["CreatedAt"] = c.CreatedAt,
        ["VerifiedAt"] = c.VerifiedAt,
        ["ExpiresAt"] = c.ExpiresAt,
        ["SigningSecret"] = c.ProtectedSecret,
        ["ConfirmationsSent"] = TimeList.Write(c.ConfirmationsSent),
    };

    private static Channel ToChannel(TableEntity e) => new(
        e.RowKey["channel|".Length..],
        e.PartitionKey,
        Enum.Parse<ChannelKind>(e.GetString("Kind"), ignoreCase: true),
        e.GetString("Address"),
        Enum.Parse<ChannelStatus>(e.GetString("Status"), ignoreCase: true),
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("VerifiedAt"),
        e.GetDateTimeOffset("ExpiresAt"),
        e.GetString("SigningSecret"),
        TimeList.Read(e.GetString("ConfirmationsSent")),
        e.ETag);

    private static TableEntity KeyEntity(KeyRecord key) => new(key.AccountId, KeyRow(key.Id))
    {
        ["Hash"] = key.Hash,
        ["ReadOnly"] = key.ReadOnly,
        ["Label"] = key.Label,
        ["CreatedAt"] = key.CreatedAt,
    };

    private static KeyRecord ToKey(TableEntity e) =>
        new(e.RowKey["key|".Length..], e.PartitionKey, e.GetString("Hash"), e.GetBoolean("ReadOnly") == true, e.GetString("Label"), e.GetDateTimeOffset("CreatedAt") ?? default);
}
