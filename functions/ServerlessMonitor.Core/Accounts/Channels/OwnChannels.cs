using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts.Channels;

/// <summary>
/// Whether channel ids named in an escalation are the account's own. Pending channels count
/// (they get alerts once verified); expired and deleted ones do not.
/// </summary>
public sealed class OwnChannels(AccountStore accounts, TimeProvider time)
{
    public async Task<bool> AllExistAsync(string accountId, IReadOnlyCollection<string> channelIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channelIds);
        if (channelIds.Count == 0)
        {
            return true;
        }

        var now = time.GetUtcNow();
        var own = (await accounts.ListChannelsAsync(accountId, cancellationToken).ConfigureAwait(false))
            .Where(c => !c.IsExpired(now))
            .Select(c => c.Id)
            .ToHashSet(StringComparer.Ordinal);
        return channelIds.All(own.Contains);
    }
}
