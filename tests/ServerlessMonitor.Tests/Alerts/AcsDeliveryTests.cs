using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.FakeAcs;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// The sender in Azure's graph, through the fake ACS (which checks every request's HMAC signature
/// and honours repeatability): uncertain tries repeat the same request id inside the 5-minute
/// window and give up past it.
/// </summary>
public sealed class AcsDeliveryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Email_and_SMS_go_out_through_ACS_signed_with_its_key()
    {
        await using var f = await StartAsync();

        var email = await f.App.Sender.SendAsync(AcsFixture.EmailTo("oncall@example.com") with { Priority = MessagePriority.Alert }, Key(), CancellationToken.None);
        var sms = await f.App.Sender.SendAsync(AcsFixture.SmsTo() with { Priority = MessagePriority.Alert }, Key(), CancellationToken.None);

        Assert.IsType<DeliveryOutcome.Sent>(email);
        Assert.IsType<DeliveryOutcome.Sent>(sms);
        Assert.Equal(["oncall@example.com"], Assert.Single(f.Acs.Emails).To);
        Assert.Equal("+14155550100", Assert.Single(f.Acs.Sms).To);
        Assert.All(f.Acs.Requests, r => Assert.Null(r.Problem));
        Assert.False(File.Exists(f.App.OutboxFile));
    }

    [Fact]
    public async Task An_uncertain_try_is_repeated_with_the_same_request_id_and_ACS_sends_it_once()
    {
        await using var f = await StartAsync();
        f.Acs.FailNext(new FakeFailure(503) { AfterProcessing = true });
        var key = Key();

        var pending = Assert.IsType<DeliveryOutcome.Pending>(await f.App.Sender.SendAsync(AcsFixture.SmsTo() with { Priority = MessagePriority.Alert }, key, CancellationToken.None));
        Assert.True((await f.App.DeliveryAsync(key)).MayHaveBeenSent);

        f.App.Clock.Advance(pending.NextAttemptAt!.Value - f.App.Clock.GetUtcNow());
        var done = await f.App.Sender.RetryAsync(DeliveryIds.For(key), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Sent, done!.Status);
        Assert.Single(f.Acs.Sms);
        Assert.Equal(2, f.Acs.Requests.Count);
        Assert.Single(f.Acs.Requests.Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!["smsRecipients"]![0]!["repeatabilityRequestId"]!.GetValue<string>()).Distinct());
    }

    [Fact]
    public async Task A_retry_that_comes_after_the_repeatability_window_fails_as_may_have_been_sent_without_sending()
    {
        await using var f = await StartAsync();
        f.Acs.FailNext(new FakeFailure(503) { AfterProcessing = true });
        var key = Key();
        Assert.IsType<DeliveryOutcome.Pending>(await f.App.Sender.SendAsync(AcsFixture.EmailTo("late@example.com") with { Priority = MessagePriority.Alert }, key, CancellationToken.None));

        f.App.Clock.Advance(TimeSpan.FromMinutes(6)); // the retry message was late
        var done = await f.App.Sender.RetryAsync(DeliveryIds.For(key), CancellationToken.None);

        Assert.Equal((DeliveryStatus.Failed, true), (done!.Status, done.MayHaveBeenSent));
        Assert.StartsWith("not retried: the provider may have sent it", done.LastError, StringComparison.Ordinal);
        Assert.Single(f.Acs.Requests);
        var outcome = Assert.IsType<DeliveryOutcome.Failed>(await f.App.Sender.SendAsync(AcsFixture.EmailTo("late@example.com"), key, CancellationToken.None));
        Assert.True(outcome.MayHaveBeenSent);
        Assert.Single(f.Acs.Requests);
    }

    [Fact]
    public async Task An_uncertain_try_whose_retry_after_reaches_past_the_window_fails_at_once()
    {
        await using var f = await StartAsync();
        f.Acs.FailNext(new FakeFailure(503) { RetryAfter = "600" });

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await f.App.Sender.SendAsync(AcsFixture.SmsTo() with { Priority = MessagePriority.Alert }, Key(), CancellationToken.None));

        Assert.True(failed.MayHaveBeenSent);
        Assert.Equal(503, failed.Status);
    }

    [Fact]
    public async Task A_throttled_try_may_start_a_new_series_once_the_window_has_passed()
    {
        await using var f = await StartAsync();
        f.Acs.FailNext(new FakeFailure(429) { RetryAfter = "600" });
        var key = Key();
        var pending = Assert.IsType<DeliveryOutcome.Pending>(await f.App.Sender.SendAsync(AcsFixture.SmsTo() with { Priority = MessagePriority.Alert }, key, CancellationToken.None));
        Assert.Equal(TimeSpan.FromMinutes(10), pending.NextAttemptAt - f.App.Clock.GetUtcNow());

        f.App.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(DeliveryStatus.Sent, (await f.App.Sender.RetryAsync(DeliveryIds.For(key), CancellationToken.None))!.Status);

        var ids = f.Acs.Requests.Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!["smsRecipients"]![0]!["repeatabilityRequestId"]!.GetValue<string>()).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.Single(f.Acs.Sms);
    }

    [Fact]
    public async Task In_azure_without_ACS_email_cannot_be_sent_and_nothing_is_written_to_a_file()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, RuntimeMode.Azure);
        var key = Key();

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await app.Sender.SendAsync(AcsFixture.EmailTo("x@example.com"), key, CancellationToken.None));

        Assert.False(app.Sender.CanSend(ChannelKind.Email));
        Assert.False(app.Sender.CanSend(ChannelKind.Sms));
        Assert.True(app.Sender.CanSend(ChannelKind.Webhook));
        Assert.Equal(RetryKind.Never, failed.Retry);
        Assert.Equal((DeliveryStatus.Failed, null), ((await app.DeliveryAsync(key)).Status, (await app.DeliveryAsync(key)).Transport));
        Assert.False(File.Exists(app.OutboxFile));
    }

    private async Task<Running> StartAsync()
    {
        var clock = new WatchedClock();
        var acs = await FakeAcsServer.StartAsync(new FakeAcsOptions { Time = clock });
        acs.PollRetryAfter = "0";
        var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, RuntimeMode.Azure, new()
        {
            [SettingCatalog.AcsConnectionString] = acs.ConnectionString,
            [SettingCatalog.EmailSender] = AcsFixture.EmailSender,
            [SettingCatalog.SmsSender] = AcsFixture.SmsSender,
        }, clock: clock);
        return new Running(acs, app);
    }

    private static string Key() => $"incident-{Guid.NewGuid():N}:owner:1";

    private sealed record Running(FakeAcsServer Acs, DeliveryHarness App) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Acs.DisposeAsync();
        }
    }
}
