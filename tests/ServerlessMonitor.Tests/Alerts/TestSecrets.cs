using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// Webhook channels' secrets as the channels table will keep them: encrypted with the deployment's
/// key (WebhookSecrets) and bound to the channel id, decrypted when the transport asks. Removing a
/// channel removes its secret.
/// </summary>
internal sealed class TestSecrets(WebhookSecrets protector) : IWebhookSecretSource
{
    public const string Key = "test-webhook-key-of-at-least-32-characters";

    private readonly ConcurrentDictionary<(string, string), string> stored = new();

    public static TestSecrets WithTestKey() => new(new WebhookSecrets(ForKey(Key)));

    /// <summary>A new channel's secret, in clear, as its owner is shown it once.</summary>
    public string Add(string accountId, string channelId)
    {
        var secret = WebhookSecrets.NewSecret();
        stored[(accountId, channelId)] = protector.Protect(secret, channelId);
        return secret;
    }

    public void Remove(string accountId, string channelId) => stored.TryRemove((accountId, channelId), out _);

    public Task<string?> GetSecretAsync(string accountId, string channelId, CancellationToken cancellationToken) =>
        Task.FromResult(stored.TryGetValue((accountId, channelId), out var protectedSecret) ? protector.Unprotect(protectedSecret, channelId) : null);

    private static MonitorConfig ForKey(string key) => MonitorConfig.Load(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingCatalog.Storage] = "UseDevelopmentStorage=true",
            [SettingCatalog.WebhookKey] = key,
        }).Build(),
        RuntimeMode.Local);
}
