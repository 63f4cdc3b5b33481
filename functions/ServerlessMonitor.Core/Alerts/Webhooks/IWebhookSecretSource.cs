namespace ServerlessMonitor.Core.Alerts.Webhooks;

/// <summary>
/// Where the webhook transport finds a channel's signing secret when it sends. The secret is read
/// at every try, never stored with the message, so a delivery row holds nothing that signs.
/// </summary>
public interface IWebhookSecretSource
{
    /// <summary>
    /// The channel's signing secret in clear (<c>whsec_…</c>), or null when the channel is gone:
    /// then the delivery ends as failed and is not retried.
    /// </summary>
    Task<string?> GetSecretAsync(string accountId, string channelId, CancellationToken cancellationToken);
}
