using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts.Receivers;

/// <summary>
/// The owner's side of receivers (ExactState's user groups): a monitor's owner invites other
/// accounts, by address, to receive its alerts, and may withdraw them. Invitations are keyed by
/// address, not account, so inviting tells the owner nothing about whether the address has an
/// account. The invitation mail carries a link that accepts once the address has an account;
/// how many invitations go out is limited per address and per account and day.
/// </summary>
public sealed class Invitations(
    AccountStore accounts,
    MonitorStore monitors,
    ConfirmationLinks links,
    IMessageSender sender,
    InvitationBudget budget,
    Receiving receiving,
    MonitorConfig config,
    TimeProvider time,
    ILogger<Invitations> logger)
{
    public const int PerMonitor = 20;

    /// <summary>Invitation messages to one address for one monitor.</summary>
    public static readonly SlidingWindow Resends = new(3, TimeSpan.FromHours(24));

    /// <summary>Owner only. Invites an address (normalised); inviting it again resends a pending invitation, within limits.</summary>
    public async Task<(Receiver Receiver, bool Created)> InviteAsync(string ownerId, string monitorId, string email, CancellationToken cancellationToken)
    {
        links.ThrowUnlessConfigured();
        var (monitor, receivers) = await OwnedAsync(ownerId, monitorId, cancellationToken).ConfigureAwait(false);
        var owner = await accounts.GetProfileAsync(ownerId, cancellationToken).ConfigureAwait(false);
        if (owner?.Email == email)
        {
            throw Refusal.Invalid("the owner gets the alerts already; invite someone else", "email");
        }

        var emailHash = Ids.Sha256Hex(email);
        var now = time.GetUtcNow();
        if (receivers.FirstOrDefault(r => r.EmailHash == emailHash) is { } existing)
        {
            return (await AgainAsync(monitor, existing, owner, now, cancellationToken).ConfigureAwait(false), false);
        }

        if (receivers.Count >= PerMonitor)
        {
            throw new Refusal(RefusalKind.Conflict, "too_many_receivers", $"a monitor has at most {PerMonitor} receivers; withdraw one first");
        }

        await ConfirmationQuota.ThrowIfUsedUpAsync(sender, ChannelKind.Email, cancellationToken).ConfigureAwait(false);
        await budget.SpendAsync(ownerId, cancellationToken).ConfigureAwait(false);
        var receiver = new Receiver(monitorId, emailHash, email, ReceiverStatus.Invited, null, null, null, now, null, [now]);
        if (!await monitors.CreateReceiverAsync(receiver, cancellationToken).ConfigureAwait(false))
        {
            // Another request invited the address a moment ago; that one sent the invitation.
            return (await monitors.GetReceiverAsync(monitorId, emailHash, cancellationToken).ConfigureAwait(false) ?? throw Refusal.Busy("the receiver is being changed by another request; try again"), false);
        }

        await SendAsync(monitor, receiver, owner, cancellationToken).ConfigureAwait(false);
        return (receiver, true);
    }

    /// <summary>Owner only: who was invited and what they answered, oldest invitation first.</summary>
    public async Task<IReadOnlyList<Receiver>> ListAsync(string ownerId, string monitorId, CancellationToken cancellationToken) =>
        (await OwnedAsync(ownerId, monitorId, cancellationToken).ConfigureAwait(false)).Receivers;

    /// <summary>
    /// Withdraws an invitation or subscription, named by receiver id (SHA-256 of the address) or
    /// account id. The owner may remove anyone, a receiver only itself (others: 403); an account
    /// that cannot see the monitor gets 404.
    /// </summary>
    public async Task RemoveAsync(string accountId, string monitorId, string receiverRef, CancellationToken cancellationToken)
    {
        var found = await monitors.GetWithReceiversAsync(monitorId, cancellationToken).ConfigureAwait(false);
        if (found is not var (monitor, receivers) || MonitorAccess.Decide(monitor, receivers, accountId) == AccessLevel.None)
        {
            throw Refusal.NotFound("monitor");
        }

        var receiver = receivers.FirstOrDefault(r => r.EmailHash == receiverRef || r.AccountId == receiverRef);
        if (monitor.OwnerId != accountId && receiver?.AccountId != accountId)
        {
            throw new Refusal(RefusalKind.Forbidden, "forbidden", "only the owner of a monitor can remove other receivers");
        }

        await monitors.DeleteReceiverAsync(receiver ?? throw Refusal.NotFound("receiver"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For the confirmation page: what accepting means. 410 when the invitation was withdrawn.</summary>
    public async Task<string> DescribeAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        var (monitor, receiver) = await InvitationAsync(confirmation, cancellationToken).ConfigureAwait(false);
        var owner = await accounts.GetProfileAsync(monitor.OwnerId, cancellationToken).ConfigureAwait(false);
        return $"Receive the alerts of the monitor \"{monitor.Definition.Name}\" of {owner?.Email ?? "another account"} at {receiver.Email}.";
    }

    /// <summary>
    /// The invitation link: the account of the invited address accepts. 409 account_needed while
    /// the address has no active account (the link keeps working); 410 when withdrawn.
    /// </summary>
    public async Task<InvitationAccepted> AcceptAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        var (monitor, _) = await InvitationAsync(confirmation, cancellationToken).ConfigureAwait(false);
        var index = await accounts.GetEmailIndexAsync(confirmation.EmailHash!, cancellationToken).ConfigureAwait(false);
        var profile = index is null ? null : await accounts.GetProfileAsync(index.AccountId, cancellationToken).ConfigureAwait(false);
        if (profile is not { Status: AccountStatus.Active })
        {
            throw new Refusal(RefusalKind.Conflict, "account_needed", "create an account with the invited address first (POST /api/accounts), then open this link again");
        }

        await receiving.AnswerAsync(profile.Id, monitor.Id, new ReceiverAnswer(Accept: true), cancellationToken).ConfigureAwait(false);
        return new InvitationAccepted(monitor.Id);
    }

    /// <summary>The monitor if this account owns it; 404 when it cannot see it, 403 when it only reads it.</summary>
    private async Task<(MonitorRecord Monitor, IReadOnlyList<Receiver> Receivers)> OwnedAsync(string accountId, string monitorId, CancellationToken cancellationToken)
    {
        var found = await monitors.GetWithReceiversAsync(monitorId, cancellationToken).ConfigureAwait(false);
        if (found is not var (monitor, receivers) || MonitorAccess.Decide(monitor, receivers, accountId) == AccessLevel.None)
        {
            throw Refusal.NotFound("monitor");
        }

        return monitor.OwnerId == accountId
            ? (monitor, receivers)
            : throw new Refusal(RefusalKind.Forbidden, "forbidden", "only the owner of a monitor can manage its receivers");
    }

    private async Task<(MonitorRecord Monitor, Receiver Receiver)> InvitationAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        var monitor = confirmation.SubjectId is { } id ? await monitors.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        var receiver = monitor is null || confirmation.EmailHash is not { } hash ? null : await monitors.GetReceiverAsync(monitor.Id, hash, cancellationToken).ConfigureAwait(false);
        return monitor is not null && receiver is not null ? (monitor, receiver) : throw Refusal.Gone("this invitation was withdrawn");
    }

    /// <summary>The address is invited already: a pending invitation is sent again (counted like a new one); an answered one is left as it is.</summary>
    private async Task<Receiver> AgainAsync(MonitorRecord monitor, Receiver existing, AccountProfile? owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (existing.Status != ReceiverStatus.Invited)
        {
            return existing;
        }

        var (sent, wait) = Resends.Admit(existing.InvitesSent, now);
        if (sent is null)
        {
            throw new Refusal(RefusalKind.RateLimited, "rate_limited", "this address was invited recently; try again later", "email", wait);
        }

        await ConfirmationQuota.ThrowIfUsedUpAsync(sender, ChannelKind.Email, cancellationToken).ConfigureAwait(false);
        await budget.SpendAsync(monitor.OwnerId, cancellationToken).ConfigureAwait(false);
        var resent = existing with { InvitesSent = sent };
        if (!await monitors.UpdateReceiverAsync(resent, cancellationToken).ConfigureAwait(false))
        {
            throw Refusal.Busy("the receiver is being changed by another request; try again");
        }

        await SendAsync(monitor, resent, owner, cancellationToken).ConfigureAwait(false);
        return resent;
    }

    private async Task SendAsync(MonitorRecord monitor, Receiver receiver, AccountProfile? owner, CancellationToken cancellationToken)
    {
        var (confirmation, link) = await links.CreateAsync(ConfirmationKind.Receiver, monitor.OwnerId, monitor.Id, receiver.EmailHash, cancellationToken).ConfigureAwait(false);
        var message = AccountMessages.Invitation(receiver.Email, link, owner?.Email ?? "another account", monitor.Definition.Name, config.PublicBase, ConfirmationLinks.Lifetime);
        // One try while the request waits; the delivery-retries queue carries on from there.
        if (await sender.SendAsync(message, $"confirmation:{confirmation.Id}", TryNow.Once, cancellationToken).ConfigureAwait(false) is DeliveryOutcome.Failed failed)
        {
            // The invitation stands; inviting the address again sends a new link. (Over quota
            // here means others took the last of the share since it was checked.)
            logger.LogWarning("invitation {Confirmation} to monitor {Monitor} not sent: {Error}", confirmation.Id, monitor.Id, failed.Error);
        }
    }
}
