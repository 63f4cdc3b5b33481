using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts.Channels;

/// <summary>
/// Whether channel ids named in an alert path are the account's own. Pending channels count
/// (they get alerts once verified); expired and deleted ones do not.
/// </summary>
public sealed class OwnChannels(AccountStore accounts, TimeProvider time) : IOwnChannels
{
    /// <summary>The ids among <paramref name="channelIds"/> that are not channels of the account; empty when all are.</summary>
    public async Task<IReadOnlySet<string>> NotOwnedAsync(string accountId, IReadOnlyCollection<string> channelIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channelIds);
        if (channelIds.Count == 0)
        {
            return new HashSet<string>();
        }

        var now = time.GetUtcNow();
        var own = (await accounts.ListChannelsAsync(accountId, cancellationToken).ConfigureAwait(false))
            .Where(c => !c.IsExpired(now))
            .Select(c => c.Id)
            .ToHashSet(StringComparer.Ordinal);
        return channelIds.Where(id => !own.Contains(id)).ToHashSet(StringComparer.Ordinal);
    }
}
