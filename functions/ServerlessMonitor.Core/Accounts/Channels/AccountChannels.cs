using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts.Channels;

/// <summary>
/// Channels: where an account's alerts go. A channel is added pending and gets alerts only once
/// its address confirmed it (a link a person opens, or a webhook's server POSTs). Adding a
/// pending one again resends its confirmation, within limits: the address may not be the
/// caller's, so the account must not be able to flood it. A pending channel whose last link
/// expired counts as absent and is replaced when added again.
/// </summary>
public sealed class AccountChannels(
    AccountStore accounts,
    ChannelAddresses addresses,
    ConfirmationLinks links,
    IMessageSender sender,
    WebhookSecrets webhookSecrets,
    TimeProvider time,
    ILogger<AccountChannels> logger)
{
    public const int PerAccount = 20;

    /// <summary>Confirmation messages to one pending channel: enough for a lost one or two, too few to flood it.</summary>
    public static readonly SlidingWindow Confirmations = new(3, TimeSpan.FromHours(1));

    public static string IdFor(string accountId, ChannelKind kind, string address) =>
        Ids.Derived(Ids.Channel, accountId, kind.ToString().ToLowerInvariant(), address);

    public async Task<ChannelAdded> AddAsync(string accountId, ChannelKind kind, string address, CancellationToken cancellationToken)
    {
        links.ThrowUnlessConfigured();
        ThrowUnlessAvailable(kind);
        var normalized = await addresses.NormalizeAsync(kind, address, cancellationToken).ConfigureAwait(false);
        var id = IdFor(accountId, kind, normalized);
        await ConfirmationQuota.ThrowIfUsedUpAsync(sender, kind, cancellationToken).ConfigureAwait(false);
        for (var tries = 0; tries < 5; tries++)
        {
            var now = time.GetUtcNow();
            var existing = await accounts.GetChannelAsync(accountId, id, cancellationToken).ConfigureAwait(false);
            var added = existing is not null && !existing.IsExpired(now)
                ? await AgainAsync(existing, now, cancellationToken).ConfigureAwait(false)
                : await NewAsync(accountId, kind, normalized, id, existing, now, cancellationToken).ConfigureAwait(false);
            if (added is not null)
            {
                return added;
            }
        }

        throw Refusal.Busy("the channel is being changed by another request; try again");
    }

    /// <summary>The account's channels, oldest first; expired pending ones are not listed.</summary>
    public async Task<IReadOnlyList<Channel>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return [.. (await accounts.ListChannelsAsync(accountId, cancellationToken).ConfigureAwait(false))
            .Where(c => !c.IsExpired(now))
            .OrderBy(c => c.CreatedAt)
            .ThenBy(c => c.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Removes a channel; 404 for anyone else's. Alerts read an account's channels when they are
    /// sent, so nothing goes to it from this moment, and escalation steps naming it skip it.
    /// </summary>
    public async Task DeleteAsync(string accountId, string channelId, CancellationToken cancellationToken)
    {
        if (!await accounts.DeleteChannelAsync(accountId, channelId, cancellationToken).ConfigureAwait(false))
        {
            throw Refusal.NotFound("channel");
        }
    }

    /// <summary>For the confirmation page: what confirming does. 410 when the channel is gone.</summary>
    public async Task<string> DescribeAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        var channel = await SubjectAsync(confirmation, cancellationToken).ConfigureAwait(false);
        return $"Send monitoring alerts to {channel.Address}.";
    }

    /// <summary>The link's second half: the channel is verified (again is fine). 410 when it is gone.</summary>
    public async Task<string> VerifyAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        var channel = await SubjectAsync(confirmation, cancellationToken).ConfigureAwait(false);
        if (channel.Status == ChannelStatus.Verified)
        {
            return channel.Id;
        }

        var verified = channel with { Status = ChannelStatus.Verified, VerifiedAt = time.GetUtcNow(), ExpiresAt = null, ConfirmationsSent = [] };
        return await accounts.SaveChannelAsync(verified, cancellationToken).ConfigureAwait(false)
            ? channel.Id
            : throw Refusal.Busy("the channel is being changed by another request; try again");
    }

    /// <summary>
    /// The channel a link was made for. Ids are derived from the address, so a channel deleted
    /// and added again has the same id: a link older than the row belongs to the deleted one.
    /// </summary>
    private async Task<Channel> SubjectAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        var channel = confirmation.SubjectId is { } id ? await accounts.GetChannelAsync(confirmation.AccountId, id, cancellationToken).ConfigureAwait(false) : null;
        return channel is not null && !channel.IsExpired(time.GetUtcNow()) && confirmation.CreatedAt >= channel.CreatedAt
            ? channel
            : throw Refusal.Gone("this channel no longer exists");
    }

    private void ThrowUnlessAvailable(ChannelKind kind)
    {
        if (!sender.CanSend(kind))
        {
            var needs = kind switch
            {
                ChannelKind.Sms => "SMS needs ACS and SM_SMS_SENDER",
                ChannelKind.Email => "email needs ACS and SM_EMAIL_SENDER",
                _ => "webhook delivery is not configured",
            };
            throw new Refusal(RefusalKind.Invalid, "channel_unavailable", $"{kind.ToString().ToLowerInvariant()} channels are not available here ({needs})", "kind");
        }

        if (kind == ChannelKind.Webhook && !webhookSecrets.IsConfigured)
        {
            throw new Refusal(RefusalKind.Invalid, "channel_unavailable", "webhook channels are not available here (SM_WEBHOOK_KEY is not set)", "kind");
        }
    }

    /// <summary>The account has this channel: a pending one gets its confirmation again. Null when the row changed meanwhile.</summary>
    private async Task<ChannelAdded?> AgainAsync(Channel channel, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (channel.Status == ChannelStatus.Verified)
        {
            return new ChannelAdded(channel, false, null);
        }

        var (sent, wait) = Confirmations.Admit(channel.ConfirmationsSent, now);
        if (sent is null)
        {
            throw new Refusal(RefusalKind.RateLimited, "rate_limited", "a confirmation was sent to this address recently; try again later", "address", wait);
        }

        var resent = channel with { ConfirmationsSent = sent, ExpiresAt = now + ConfirmationLinks.Lifetime };
        if (!await accounts.SaveChannelAsync(resent, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await SendConfirmationAsync(resent, cancellationToken).ConfigureAwait(false);
        return new ChannelAdded(resent, false, null);
    }

    /// <summary>A new channel, or one replacing an expired pending row. Null when another request wrote the row meanwhile.</summary>
    private async Task<ChannelAdded?> NewAsync(string accountId, ChannelKind kind, string address, string id, Channel? expired, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = (await accounts.ListChannelsAsync(accountId, cancellationToken).ConfigureAwait(false)).Count(c => c.Id != id && !c.IsExpired(now));
        if (current >= PerAccount)
        {
            throw new Refusal(RefusalKind.Conflict, "too_many_channels", $"an account has at most {PerAccount} channels; delete one first");
        }

        var secret = kind == ChannelKind.Webhook ? WebhookSecrets.NewSecret() : null;
        var channel = new Channel(
            id,
            accountId,
            kind,
            address,
            ChannelStatus.Pending,
            now,
            null,
            now + ConfirmationLinks.Lifetime,
            secret is null ? null : webhookSecrets.Protect(secret, id),
            [now],
            expired?.ETag ?? default);
        if (!await accounts.SaveChannelAsync(channel, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await SendConfirmationAsync(channel, cancellationToken).ConfigureAwait(false);
        return new ChannelAdded(channel, true, secret);
    }

    private async Task SendConfirmationAsync(Channel channel, CancellationToken cancellationToken)
    {
        var profile = await accounts.GetProfileAsync(channel.AccountId, cancellationToken).ConfigureAwait(false);
        var (confirmation, link) = await links.CreateAsync(ConfirmationKind.Channel, channel.AccountId, channel.Id, null, cancellationToken).ConfigureAwait(false);
        var message = AccountMessages.ChannelConfirmation(channel.Kind, channel.Address, link, profile?.Email ?? "an account", ConfirmationLinks.Lifetime)
            with { Destination = new MessageDestination(channel.AccountId, channel.Id) };
        // One try while the request waits; the delivery-retries queue carries on from there.
        if (await sender.SendAsync(message, $"confirmation:{confirmation.Id}", TryNow.Once, cancellationToken).ConfigureAwait(false) is DeliveryOutcome.Failed failed)
        {
            // The channel stays pending; adding it again sends a new confirmation. (Over quota
            // here means others took the last of the share since AddAsync checked it.)
            logger.LogWarning("confirmation {Confirmation} of channel {Channel} not sent: {Error}", confirmation.Id, channel.Id, failed.Error);
        }
    }
}
