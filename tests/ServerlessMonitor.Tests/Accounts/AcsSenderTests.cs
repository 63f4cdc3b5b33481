using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.FakeAcs;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>In Azure the confirmation goes out through ACS (here the local fake that checks signatures), once per idempotency key, and never to a file.</summary>
public sealed class AcsSenderTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Sign_up_in_azure_mails_the_link_through_acs_and_a_repeated_key_sends_nothing_more()
    {
        await using var acs = await FakeAcsServer.StartAsync();
        acs.PollRetryAfter = "0";
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, TimeProvider.System, RuntimeMode.Azure, settings: new()
        {
            [SettingCatalog.AcsConnectionString] = acs.ConnectionString,
            [SettingCatalog.EmailSender] = "DoNotReply@alerts.example.net",
        });

        await services.GetRequiredService<Signups>().SignUpAsync("acs@example.com", null, IPAddress.Loopback, CancellationToken.None);

        var email = Assert.Single(acs.Emails);
        Assert.Equal(["acs@example.com"], email.To);
        Assert.Contains("/api/confirm/f", email.PlainText, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(services.GetRequiredService<MonitorConfig>().DataDir, "outbox.jsonl")));

        var sender = services.GetRequiredService<IMessageSender>();
        var message = new OutgoingMessage(ChannelKind.Email, "again@example.com", "text") { Subject = "s" };
        Assert.IsType<DeliveryOutcome.Sent>(await sender.SendAsync(message, "confirmation:once", CancellationToken.None));
        Assert.IsType<DeliveryOutcome.Sent>(await sender.SendAsync(message, "confirmation:once", CancellationToken.None));
        Assert.Single(acs.Emails, e => e.To.Contains("again@example.com"));
        Assert.False(sender.CanSend(ChannelKind.Sms));
    }
}
