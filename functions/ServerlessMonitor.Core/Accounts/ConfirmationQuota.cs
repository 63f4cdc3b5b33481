using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// Confirmations (sign-up and recovery links, channel links, invitations) may use only a share
/// of the hourly sending budget. A request that would send one asks first, before it stores
/// anything, and is refused with 429 and Retry-After (the hour turning) when the share is used
/// up: nothing is left behind to block a later try.
/// </summary>
public static class ConfirmationQuota
{
    public static async Task ThrowIfUsedUpAsync(IMessageSender sender, ChannelKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        if (await sender.ConfirmationWaitAsync(kind, cancellationToken).ConfigureAwait(false) is { } wait)
        {
            throw UsedUp(kind, wait);
        }
    }

    public static Refusal UsedUp(ChannelKind kind, TimeSpan? wait) =>
        new(RefusalKind.RateLimited, "rate_limited", $"too many {kind.ToString().ToLowerInvariant()} confirmations were sent this hour; try again later", retryAfter: wait ?? TimeSpan.FromMinutes(1));
}
