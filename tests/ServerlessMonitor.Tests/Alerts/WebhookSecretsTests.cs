using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Tests.Alerts;

public sealed class WebhookSecretsTests
{
    private static WebhookSecrets Secrets(string? key) => new(MonitorConfig.Load(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            [SettingCatalog.WebhookKey] = key,
        }).Build(),
        RuntimeMode.Local));

    [Fact]
    public void A_protected_secret_comes_back_only_for_its_channel_and_key()
    {
        var secrets = Secrets(new string('k', 40));
        var secret = WebhookSecrets.NewSecret();
        var stored = secrets.Protect(secret, "c0123456789abcdefghij");

        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
        Assert.Equal(secret, secrets.Unprotect(stored, "c0123456789abcdefghij"));
        Assert.Null(secrets.Unprotect(stored, "cotherchannel00000000"));
        Assert.Null(Secrets(new string('x', 40)).Unprotect(stored, "c0123456789abcdefghij"));
        Assert.Null(secrets.Unprotect(stored[..^2] + "AA", "c0123456789abcdefghij"));
        Assert.Null(secrets.Unprotect("plain", "c0123456789abcdefghij"));
    }

    [Fact]
    public void Two_protections_of_one_secret_differ()
    {
        var secrets = Secrets(new string('k', 40));
        Assert.NotEqual(secrets.Protect("whsec_a", "c1"), secrets.Protect("whsec_a", "c1"));
    }

    [Fact]
    public void Without_a_key_webhooks_are_not_configured_and_a_short_key_is_refused()
    {
        Assert.False(Secrets(null).IsConfigured);
        Assert.Throws<InvalidOperationException>(() => Secrets(null).Protect("whsec_a", "c1"));
        var e = Assert.Throws<SettingsException>(() => Secrets("short"));
        Assert.Contains(SettingCatalog.WebhookKey, e.Message, StringComparison.Ordinal);
    }
}
