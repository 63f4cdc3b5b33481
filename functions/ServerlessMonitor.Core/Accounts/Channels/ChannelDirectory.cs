using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts.Channels;

/// <summary>The channels of accounts as delivery asks after them: pending and verified ones exist; deleted and expired ones do not.</summary>
public sealed class ChannelDirectory(AccountStore accounts, TimeProvider time) : IChannelDirectory
{
    public async Task<bool> ExistsAsync(MessageDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var channel = await accounts.GetChannelAsync(destination.AccountId, destination.ChannelId, cancellationToken).ConfigureAwait(false);
        return channel is not null && !channel.IsExpired(time.GetUtcNow());
    }
}
