using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.FakeAcs;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.Channels;

/// <summary>
/// Channel rules that need a clock the test moves or settings the local runtime does not have:
/// unconfirmed channels expire, unavailable kinds are refused, private webhook targets are
/// refused where they are not allowed. Through Core over Azurite.
/// </summary>
public sealed class ChannelRulesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string WebhookKey = "webhook-key-webhook-key-webhook-key-0123";

    [Fact]
    public async Task An_unconfirmed_channel_expires_with_its_last_link_and_is_replaced_when_added_again()
    {
        // The challenges are POSTed for real, to a receiver that takes them at the first try: the
        // sender's retries would wait on this test's clock, which only the test moves.
        await using var receiver = new HttpTestServer();
        var url = $"{receiver.Url}/expiring";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, time, settings: new() { [SettingCatalog.WebhookKey] = WebhookKey });
        var channels = services.GetRequiredService<AccountChannels>();
        var accountId = Ids.New(Ids.Account);
        var first = await channels.AddAsync(accountId, ChannelKind.Webhook, url, CancellationToken.None);
        var id = first.Channel.Id;
        Assert.Equal(time.GetUtcNow() + ConfirmationLinks.Lifetime, first.Channel.ExpiresAt);

        // A resend moves the expiry to the new link's.
        time.Advance(TimeSpan.FromHours(24));
        var resent = await channels.AddAsync(accountId, ChannelKind.Webhook, url, CancellationToken.None);
        Assert.False(resent.Created);
        Assert.Null(resent.SigningSecret);
        Assert.Equal(time.GetUtcNow() + ConfirmationLinks.Lifetime, resent.Channel.ExpiresAt);

        time.Advance(ConfirmationLinks.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Single(await channels.ListAsync(accountId, CancellationToken.None));
        Assert.Empty(await services.GetRequiredService<OwnChannels>().NotOwnedAsync(accountId, [id], CancellationToken.None));
        Assert.Equal(first.SigningSecret, await services.GetRequiredService<ChannelWebhookSecrets>().GetSecretAsync(accountId, id, CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await channels.ListAsync(accountId, CancellationToken.None));
        Assert.Equal([id], await services.GetRequiredService<OwnChannels>().NotOwnedAsync(accountId, [id], CancellationToken.None));
        Assert.Null(await services.GetRequiredService<ChannelWebhookSecrets>().GetSecretAsync(accountId, id, CancellationToken.None));

        // The row is still there (for the retention timer), and adding the address again starts afresh.
        var stored = await services.GetRequiredService<AccountStore>().GetChannelAsync(accountId, id, CancellationToken.None);
        Assert.Equal(first.Channel.CreatedAt, stored!.CreatedAt);
        var replaced = await channels.AddAsync(accountId, ChannelKind.Webhook, url, CancellationToken.None);
        Assert.True(replaced.Created);
        Assert.Equal(id, replaced.Channel.Id);
        Assert.Equal(time.GetUtcNow(), replaced.Channel.CreatedAt);
        Assert.NotEqual(first.SigningSecret, replaced.SigningSecret);
        Assert.Equal(replaced.SigningSecret, await services.GetRequiredService<ChannelWebhookSecrets>().GetSecretAsync(accountId, id, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_channels_do_not_count_against_the_limit()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, time);
        var channels = services.GetRequiredService<AccountChannels>();
        var accountId = Ids.New(Ids.Account);
        for (var i = 0; i < AccountChannels.PerAccount; i++)
        {
            await channels.AddAsync(accountId, ChannelKind.Email, $"old-{i}@example.com", CancellationToken.None);
        }

        var refused = await Assert.ThrowsAsync<Refusal>(() => channels.AddAsync(accountId, ChannelKind.Email, "new@example.com", CancellationToken.None));
        Assert.Equal("too_many_channels", refused.Code);

        time.Advance(ConfirmationLinks.Lifetime);
        Assert.True((await channels.AddAsync(accountId, ChannelKind.Email, "new@example.com", CancellationToken.None)).Created);
    }

    [Fact]
    public async Task Sms_without_its_sender_and_webhooks_without_their_key_are_refused_before_anything_is_stored()
    {
        await using var acs = await FakeAcsServer.StartAsync();
        acs.PollRetryAfter = "0";
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, TimeProvider.System, RuntimeMode.Azure, settings: new()
        {
            [SettingCatalog.AcsConnectionString] = acs.ConnectionString,
            [SettingCatalog.EmailSender] = "DoNotReply@alerts.example.net",
        });
        var channels = services.GetRequiredService<AccountChannels>();
        var accountId = Ids.New(Ids.Account);

        var sms = await Assert.ThrowsAsync<Refusal>(() => channels.AddAsync(accountId, ChannelKind.Sms, "+14155550100", CancellationToken.None));
        Assert.Equal((RefusalKind.Invalid, "channel_unavailable", "kind"), (sms.Kind, sms.Code, sms.Field));
        Assert.Contains("SM_SMS_SENDER", sms.Message, StringComparison.Ordinal);
        var webhook = await Assert.ThrowsAsync<Refusal>(() => channels.AddAsync(accountId, ChannelKind.Webhook, "https://hooks.example.com/x", CancellationToken.None));
        Assert.Equal(("channel_unavailable", "kind"), (webhook.Code, webhook.Field));

        // Email goes out through ACS.
        Assert.True((await channels.AddAsync(accountId, ChannelKind.Email, "ops@example.com", CancellationToken.None)).Created);
        Assert.Single(acs.Emails);
        Assert.Single(await channels.ListAsync(accountId, CancellationToken.None));

        // Locally every kind can be sent (to the outbox), but a webhook still needs its key.
        await using var local = await CoreAccounts.StartAsync(azurite.ConnectionString, TimeProvider.System);
        var noKey = await Assert.ThrowsAsync<Refusal>(() => local.GetRequiredService<AccountChannels>().AddAsync(accountId, ChannelKind.Webhook, "http://127.0.0.1:9/x", CancellationToken.None));
        Assert.Equal(("channel_unavailable", "kind"), (noKey.Code, noKey.Field));
        Assert.Contains("SM_WEBHOOK_KEY", noKey.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://api.localhost./hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://0x7f.1/hook")]
    [InlineData("https://[fd00::1]:8443/hook")]
    [InlineData("http://[::ffff:192.168.1.1]/hook")]
    public async Task Webhooks_to_internal_addresses_are_refused_where_private_targets_are_not_allowed(string url)
    {
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, TimeProvider.System, settings: new()
        {
            [SettingCatalog.WebhookKey] = WebhookKey,
            [SettingCatalog.AllowPrivateTargets] = "false",
        });
        var accountId = Ids.New(Ids.Account);

        var refused = await Assert.ThrowsAsync<Refusal>(() => services.GetRequiredService<AccountChannels>().AddAsync(accountId, ChannelKind.Webhook, url, CancellationToken.None));

        Assert.Equal((RefusalKind.Invalid, "target_not_allowed", "address"), (refused.Kind, refused.Code, refused.Field));
        Assert.Empty(await services.GetRequiredService<AccountStore>().ListChannelsAsync(accountId, CancellationToken.None));
    }

    [Theory]
    [InlineData("HTTPS://Hooks.Example.COM:443/Path?q=1#frag", "https://hooks.example.com/Path?q=1")]
    [InlineData("http://hooks.example.com:8080", "http://hooks.example.com:8080/")]
    [InlineData("https://bücher.example/x y", "https://xn--bcher-kva.example/x%20y")]
    [InlineData("http://[2001:4860:4860:0:0:0:0:8888]/", "http://[2001:4860:4860::8888]/")]
    public async Task Webhook_urls_are_stored_in_one_spelling(string url, string stored)
    {
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, TimeProvider.System, settings: new() { [SettingCatalog.WebhookKey] = WebhookKey });

        Assert.Equal(stored, await services.GetRequiredService<ChannelAddresses>().NormalizeAsync(ChannelKind.Webhook, url, CancellationToken.None));
    }
}
