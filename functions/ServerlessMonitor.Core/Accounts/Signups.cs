using System.Net;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// Sign-up, the first half of the double opt-in (POST /api/accounts). The answer is the same
/// whether or not the address has an account: the id of the address's account, pending. A new
/// or unconfirmed address gets a link that activates the account; an address with an active
/// account gets a link that issues a new API key (a lost key is recoverable, and the owner
/// learns that someone tried). Both paths write nearly the same rows and send one message, so
/// a refusal for the sending budget (429) tells nothing about the address either.
/// </summary>
public sealed class Signups(AccountStore accounts, ConfirmationLinks links, IMessageSender sender, TimeProvider time, ILogger<Signups> logger)
{
    public async Task<string> SignUpAsync(string email, string? name, IPAddress client, CancellationToken cancellationToken)
    {
        links.ThrowUnlessConfigured();
        if (!sender.CanSend(ChannelKind.Email))
        {
            throw new Refusal(RefusalKind.Unavailable, "not_configured", "sign-up is unavailable: email is not configured (SM_ACS_ENDPOINT and SM_EMAIL_SENDER)");
        }

        await ConfirmationQuota.ThrowIfUsedUpAsync(sender, ChannelKind.Email, cancellationToken).ConfigureAwait(false);
        var emailHash = Ids.Sha256Hex(email);
        var (accountId, countedAt) = await CountAsync(emailHash, SignupLimits.NetworkScope(client), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var profile = await accounts.EnsurePendingAsync(accountId, email, name, now, now + ConfirmationLinks.Lifetime, cancellationToken).ConfigureAwait(false);
        var active = profile.Status == AccountStatus.Active;
        var (confirmation, link) = await links.CreateAsync(active ? ConfirmationKind.Recovery : ConfirmationKind.Account, accountId, cancellationToken).ConfigureAwait(false);
        var message = active ? AccountMessages.Recovery(email, link, ConfirmationLinks.Lifetime) : AccountMessages.Signup(email, link, ConfirmationLinks.Lifetime);
        var outcome = await sender.SendAsync(message, $"confirmation:{confirmation.Id}", TryNow.Once, cancellationToken).ConfigureAwait(false);
        if (outcome is DeliveryOutcome.Failed { OverQuota: true } overQuota)
        {
            // Others took the last of the share since it was checked: this try is not counted
            // against the address, so trying again later is not held back by it.
            await GiveBackAsync(emailHash, countedAt, cancellationToken).ConfigureAwait(false);
            throw ConfirmationQuota.UsedUp(ChannelKind.Email, overQuota.RetryAfter);
        }

        if (outcome is DeliveryOutcome.Failed failed)
        {
            // The answer must not differ (it would tell whether the address has an account);
            // signing up again sends a new link.
            logger.LogWarning("confirmation {Confirmation} not sent: {Error}", confirmation.Id, failed.Error);
        }

        return accountId;
    }

    /// <summary>
    /// Counts this sign-up against every limit and answers the address's account id (new for a
    /// new address). All limits are checked before anything is written, so a refused sign-up
    /// changes nothing; writes are ETag-guarded, so concurrent sign-ups are all counted. Also
    /// answers the time this sign-up was counted at.
    /// </summary>
    private async Task<(string AccountId, DateTimeOffset At)> CountAsync(string emailHash, string network, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var now = time.GetUtcNow();
            var index = await accounts.GetEmailIndexAsync(emailHash, cancellationToken).ConfigureAwait(false);
            var (byAddress, addressWait) = SignupLimits.PerAddress.Admit(index?.Signups ?? [], now);
            if (byAddress is null)
            {
                throw new Refusal(RefusalKind.RateLimited, "rate_limited", "too many sign-ups for this address; try again later", "email", addressWait);
            }

            var (networkTimes, networkETag) = await accounts.GetSignupTimesAsync(network, cancellationToken).ConfigureAwait(false);
            var (byNetwork, networkWait) = SignupLimits.PerNetwork.Admit(networkTimes, now);
            var (overallTimes, overallETag) = await accounts.GetSignupTimesAsync(SignupLimits.OverallScope, cancellationToken).ConfigureAwait(false);
            var (overall, overallWait) = SignupLimits.Overall.Admit(overallTimes, now);
            if (byNetwork is null || overall is null)
            {
                throw new Refusal(RefusalKind.RateLimited, "rate_limited", "too many sign-ups lately; try again later", retryAfter: Max(networkWait, overallWait));
            }

            var saved = index is null
                ? new EmailIndex(emailHash, Ids.New(Ids.Account), byAddress, default)
                : index with { Signups = byAddress };
            if (await accounts.SaveEmailIndexAsync(saved, cancellationToken).ConfigureAwait(false))
            {
                await RecordAsync(network, byNetwork, networkETag, SignupLimits.PerNetwork, cancellationToken).ConfigureAwait(false);
                await RecordAsync(SignupLimits.OverallScope, overall, overallETag, SignupLimits.Overall, cancellationToken).ConfigureAwait(false);
                return (saved.AccountId, now);
            }
        }

        throw Refusal.Busy("this address is being signed up by another request; try again");
    }

    /// <summary>Takes a sign-up that sent nothing off the address's count; best effort (a busy row keeps it).</summary>
    private async Task GiveBackAsync(string emailHash, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            if (await accounts.GetEmailIndexAsync(emailHash, cancellationToken).ConfigureAwait(false) is not { } index || !index.Signups.Contains(at))
            {
                return;
            }

            var signups = index.Signups.ToList();
            signups.Remove(at);
            if (await accounts.SaveEmailIndexAsync(index with { Signups = signups }, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        logger.LogWarning("a sign-up refused for the sending budget stays counted for its address: too much contention");
    }

    /// <summary>
    /// Writes a shared limit's times back; when another sign-up wrote first, adds this one to
    /// what it wrote (the request was admitted already: a race only makes the count exact).
    /// </summary>
    private async Task RecordAsync(string scope, IReadOnlyList<DateTimeOffset> times, Azure.ETag etag, SlidingWindow window, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            if (await accounts.SaveSignupTimesAsync(scope, times, etag, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var now = time.GetUtcNow();
            (var current, etag) = await accounts.GetSignupTimesAsync(scope, cancellationToken).ConfigureAwait(false);
            times = [.. current.Where(t => t > now - window.Window), now];
        }

        logger.LogWarning("sign-up not counted under {Scope}: too much contention", scope);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
