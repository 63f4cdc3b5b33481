using System.Net;
using System.Net.Sockets;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Acs;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Tests.Support.FakeAcs;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>What the pipeline itself does: one request per try, and failures reported, not hidden.</summary>
public sealed class AcsPipelineTests
{
    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Makes_exactly_one_request_per_email_try_even_where_Azure_Core_would_retry(int status)
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(status) { RetryAfter = "0" });

        var outcome = await f.DeliverAsync(f.Email, AcsFixture.EmailTo("oncall@example.com"), f.NewAttempt());

        Assert.Equal(status, Assert.IsType<DeliveryOutcome.Failed>(outcome).Status);
        Assert.Single(f.Acs.Requests);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Makes_exactly_one_request_per_SMS_try_even_where_Azure_Core_would_retry(int status)
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(status) { RetryAfter = "0" });

        var outcome = await f.Sms.DeliverAsync(AcsFixture.SmsTo(), f.NewAttempt(), CancellationToken.None);

        Assert.Equal(status, Assert.IsType<DeliveryOutcome.Failed>(outcome).Status);
        Assert.Single(f.Acs.Requests);
    }

    [Fact]
    public async Task Reports_a_409_from_ACS_as_uncertain_since_the_original_may_yet_go_out()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(409));

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await f.Sms.DeliverAsync(AcsFixture.SmsTo(), f.NewAttempt(), CancellationToken.None));

        Assert.Equal((RetryKind.Uncertain, 409), (failed.Retry, failed.Status));
    }

    [Fact]
    public async Task Reports_a_refused_connection_as_safe_to_retry()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var key = Convert.ToBase64String(new byte[32]);
        var client = AcsClient.FromConfig(new AcsConfig.ConnectionString($"endpoint=http://127.0.0.1:{port}/;accesskey={key}"), new WatchedClock());

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await new AcsSmsChannel(client, AcsFixture.SmsSender).DeliverAsync(AcsFixture.SmsTo(), new DeliveryAttempt(Guid.NewGuid(), WatchedClock.Noon), CancellationToken.None));

        Assert.Equal(RetryKind.Safe, failed.Retry);
        Assert.StartsWith("not sent: ", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throws_when_the_caller_gives_up_on_a_send_that_has_reached_ACS()
    {
        await using var f = await AcsFixture.StartAsync();
        var held = f.Acs.HoldNext("POST");
        using var attemptBudget = new CancellationTokenSource();

        var delivery = f.Sms.DeliverAsync(AcsFixture.SmsTo(), f.NewAttempt(), attemptBudget.Token);
        await held.Arrived;
        await attemptBudget.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery);
    }
}
