using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts.Receivers;

/// <summary>
/// How many invitation messages an account may send a day, across all its monitors, so that
/// invitations cannot be used to mail strangers in bulk or to spend the sending quota alerts
/// need. Kept in a row of the account's partition and written under its ETag, so concurrent
/// invitations from several instances are all counted.
/// </summary>
public sealed class InvitationBudget(AccountStore accounts, TimeProvider time)
{
    /// <summary>Far more than a team shares in a day; far fewer than a spammer wants.</summary>
    public static readonly SlidingWindow PerDay = new(50, TimeSpan.FromHours(24));

    /// <summary>Counts one invitation; 429 rate_limited (nothing written) when the account's budget is spent.</summary>
    public async Task SpendAsync(string accountId, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var (times, etag) = await accounts.GetInvitationTimesAsync(accountId, cancellationToken).ConfigureAwait(false);
            var (admitted, wait) = PerDay.Admit(times, time.GetUtcNow());
            if (admitted is null)
            {
                throw new Refusal(RefusalKind.RateLimited, "rate_limited", $"an account may send {PerDay.Max} invitations a day; try again later", retryAfter: wait);
            }

            if (await accounts.SaveInvitationTimesAsync(accountId, admitted, etag, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        throw Refusal.Busy("invitations are being sent by another request; try again");
    }
}
