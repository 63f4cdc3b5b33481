using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Tests.Support.FakeAcs;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>The SMS half of tests/integration/alerts/acs-contract.test.ts, at the channel.</summary>
public sealed class AcsSmsContractTests
{
    [Fact]
    public async Task Sends_one_recipient_with_our_repeatability_id_in_the_body_correctly_signed()
    {
        await using var f = await AcsFixture.StartAsync();
        var attempt = f.NewAttempt();

        var outcome = await f.Sms.DeliverAsync(AcsFixture.SmsTo("+14155550100", "Shop is down (1)"), attempt, CancellationToken.None);

        var sent = Assert.IsType<DeliveryOutcome.Sent>(outcome);
        var sms = Assert.Single(f.Acs.Sms);
        Assert.Equal(sms.MessageId, sent.ProviderId);
        Assert.StartsWith("Outgoing_", sms.MessageId, StringComparison.Ordinal);
        Assert.Equal(
            new FakeSms(sms.MessageId, AcsFixture.SmsSender, "+14155550100", "Shop is down (1)", attempt.RequestId.ToString(), attempt.FirstSentAt.ToString("r", CultureInfo.InvariantCulture)),
            sms);
        var request = Assert.Single(f.Acs.Requests);
        Assert.Equal(("/sms?api-version=2021-03-07", 202, (string?)null), (request.Target, request.Status, request.Problem));
        Assert.False(JsonNode.Parse(request.Body)!["smsSendOptions"]!["enableDeliveryReport"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Never_sends_twice_when_ACS_sent_it_but_the_answer_was_lost()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(502) { AfterProcessing = true }, new FakeFailure(503));
        var attempt = f.NewAttempt();
        var message = AcsFixture.SmsTo();

        var lost = await f.Sms.DeliverAsync(message, attempt, CancellationToken.None);
        var unavailable = await f.Sms.DeliverAsync(message, attempt, CancellationToken.None);
        var again = await f.Sms.DeliverAsync(message, attempt, CancellationToken.None);

        Assert.Equal((RetryKind.Uncertain, 502), (Assert.IsType<DeliveryOutcome.Failed>(lost).Retry, Assert.IsType<DeliveryOutcome.Failed>(lost).Status));
        Assert.Equal((RetryKind.Uncertain, 503), (Assert.IsType<DeliveryOutcome.Failed>(unavailable).Retry, Assert.IsType<DeliveryOutcome.Failed>(unavailable).Status));
        var sent = Assert.IsType<DeliveryOutcome.Sent>(again);
        Assert.Equal(Assert.Single(f.Acs.Sms).MessageId, sent.ProviderId);
    }

    [Fact]
    public async Task Reports_a_recipient_ACS_refuses()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(202) { RecipientStatus = 400 });

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await f.Sms.DeliverAsync(AcsFixture.SmsTo(), f.NewAttempt(), CancellationToken.None));

        Assert.Equal((RetryKind.Never, 400, "HTTP 400: injected recipient failure"), (failed.Retry, failed.Status, failed.Error));
        Assert.Empty(f.Acs.Sms);
    }

    [Fact]
    public async Task Reports_long_throttling_as_safe_with_its_wait_and_sends_once_when_retried_after_it()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(429) { RetryAfter = "90" });
        var attempt = f.NewAttempt();

        var throttled = Assert.IsType<DeliveryOutcome.Failed>(await f.Sms.DeliverAsync(AcsFixture.SmsTo(), attempt, CancellationToken.None));
        f.Clock.Advance(TimeSpan.FromSeconds(90));
        var retried = await f.Sms.DeliverAsync(AcsFixture.SmsTo(), attempt, CancellationToken.None);

        Assert.Equal((RetryKind.Safe, TimeSpan.FromSeconds(90)), (throttled.Retry, throttled.RetryAfter));
        Assert.IsType<DeliveryOutcome.Sent>(retried);
        Assert.Single(f.Acs.Sms);
    }

    [Fact]
    public async Task Reports_a_number_ACS_finds_malformed_as_not_worth_retrying()
    {
        await using var f = await AcsFixture.StartAsync();

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await f.Sms.DeliverAsync(AcsFixture.SmsTo("0155 5501"), f.NewAttempt(), CancellationToken.None));

        Assert.Equal((RetryKind.Never, 400), (failed.Retry, failed.Status));
        Assert.Equal("recipient numbers must be E.164", Assert.Single(f.Acs.Requests).Problem);
    }
}
