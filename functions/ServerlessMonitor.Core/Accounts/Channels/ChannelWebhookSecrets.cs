using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts.Channels;

/// <summary>
/// Where webhook delivery finds the key it signs with: read from the channel row at the moment
/// of sending and decrypted there, so delivery rows never hold a secret and a deleted channel
/// signs nothing more.
/// </summary>
public sealed class ChannelWebhookSecrets(AccountStore accounts, WebhookSecrets secrets, TimeProvider time) : IWebhookSecretSource
{
    /// <summary>The signing secret of a pending or verified webhook channel; null when the channel is gone (deleted, expired) or its secret does not decrypt.</summary>
    public async Task<string?> GetSecretAsync(string accountId, string channelId, CancellationToken cancellationToken)
    {
        var channel = await accounts.GetChannelAsync(accountId, channelId, cancellationToken).ConfigureAwait(false);
        return channel is { Kind: ChannelKind.Webhook, ProtectedSecret: { } stored } && !channel.IsExpired(time.GetUtcNow())
            ? secrets.Unprotect(stored, channelId)
            : null;
    }
}
