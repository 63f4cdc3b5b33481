using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Webhooks;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>The webhook transport against a real receiver on 127.0.0.1: what it sends, how it reads answers, and the SSRF policy at send time.</summary>
public sealed class WebhookChannelTests : IAsyncLifetime
{
    private readonly WatchedClock clock = new();
    private readonly TestSecrets secrets = TestSecrets.WithTestKey();
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Posts_the_payload_signed_with_the_channels_secret_over_the_timestamp_and_raw_body()
    {
        var (message, secret) = Message(receiver.Url);
        var attempt = new DeliveryAttempt(Guid.NewGuid(), clock.GetUtcNow());

        var outcome = await Channel().DeliverAsync(message, attempt, CancellationToken.None);

        Assert.IsType<DeliveryOutcome.Sent>(outcome);
        var got = Assert.Single(receiver.Requests);
        Assert.Equal("POST", got.Method);
        Assert.StartsWith("application/json", got.Header("content-type"), StringComparison.Ordinal);
        Assert.Equal(attempt.RequestId.ToString(), got.Header("x-sm-delivery"));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), got.Header("x-sm-timestamp"));
        Assert.True(WebhookReceiver.Verify(got, secret, clock.GetUtcNow()), got.Header("x-sm-signature"));
        Assert.False(WebhookReceiver.Verify(got, WebhookSecrets.NewSecret(), clock.GetUtcNow()));
        Assert.False(WebhookReceiver.Verify(got, secret, clock.GetUtcNow().AddMinutes(6)));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"type":"incident.failure","monitor":{"id":"m1"},"subject":"Down: shop","text":"Shop failed from 3 regions"}"""),
            JsonNode.Parse(got.Text)));
        Assert.DoesNotContain(secret, string.Join("\n", got.Headers.Values) + got.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, RetryKind.Safe)]
    [InlineData(408, RetryKind.Safe)]
    [InlineData(500, RetryKind.Uncertain)]
    [InlineData(503, RetryKind.Uncertain)]
    [InlineData(400, RetryKind.Never)]
    [InlineData(404, RetryKind.Never)]
    [InlineData(410, RetryKind.Never)]
    public async Task Classifies_the_receivers_answer(int status, RetryKind retry)
    {
        receiver.AnswerNext(status, new() { ["retry-after"] = "30" });

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await Channel().DeliverAsync(Message(receiver.Url).Message, NewAttempt(), CancellationToken.None));

        Assert.Equal((retry, status, TimeSpan.FromSeconds(30)), (failed.Retry, failed.Status, failed.RetryAfter));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Does_not_follow_a_redirect_and_fails_for_good(int status)
    {
        receiver.AnswerNext(status, new() { ["location"] = new Uri(receiver.Url, "/elsewhere").ToString() });

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await Channel().DeliverAsync(Message(receiver.Url).Message, NewAttempt(), CancellationToken.None));

        Assert.Equal((RetryKind.Never, status), (failed.Retry, failed.Status));
        Assert.Contains("redirects are not followed", failed.Error, StringComparison.Ordinal);
        Assert.Equal(["/hook"], receiver.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Refuses_internal_addresses_at_send_time_when_private_targets_are_not_allowed()
    {
        var port = receiver.Url.Port;
        string[] targets = [$"http://127.0.0.1:{port}/hook", $"http://localhost:{port}/hook", $"http://[::1]:{port}/hook", $"http://10.0.0.1:{port}/hook", "http://169.254.169.254/latest/meta-data"];

        foreach (var target in targets)
        {
            var failed = Assert.IsType<DeliveryOutcome.Failed>(await Channel(allowPrivateTargets: false).DeliverAsync(Message(new Uri(target)).Message, NewAttempt(), CancellationToken.None));
            Assert.Equal(RetryKind.Never, failed.Retry);
            Assert.Contains("may not reach", failed.Error, StringComparison.Ordinal);
        }

        // The metadata service stays out of reach even where private targets are allowed.
        var metadata = Assert.IsType<DeliveryOutcome.Failed>(await Channel().DeliverAsync(Message(new Uri("http://169.254.169.254/")).Message, NewAttempt(), CancellationToken.None));
        Assert.Contains("cloud metadata", metadata.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Sends_nothing_when_the_channel_and_so_its_secret_is_gone()
    {
        var (message, _) = Message(receiver.Url);
        secrets.Remove(message.Destination!.AccountId, message.Destination.ChannelId);

        var gone = Assert.IsType<DeliveryOutcome.Failed>(await Channel().DeliverAsync(message, NewAttempt(), CancellationToken.None));

        Assert.Equal((RetryKind.Never, "not sent: the channel was removed"), (gone.Retry, gone.Error));
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_within_ten_seconds_is_an_uncertain_try()
    {
        var held = receiver.HoldNext();
        var delivery = Channel().DeliverAsync(Message(receiver.Url).Message, NewAttempt(), CancellationToken.None);
        await held.Arrived;

        clock.Advance(WebhookChannel.Timeout);

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await delivery);
        Assert.Equal(RetryKind.Uncertain, failed.Retry);
        Assert.StartsWith("timed out", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_safe_to_retry()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await Channel().DeliverAsync(Message(new Uri($"http://127.0.0.1:{port}/hook")).Message, NewAttempt(), CancellationToken.None));

        Assert.Equal(RetryKind.Safe, failed.Retry);
    }

    private WebhookChannel Channel(bool allowPrivateTargets = true) => new(allowPrivateTargets, secrets, clock);

    private DeliveryAttempt NewAttempt() => new(Guid.NewGuid(), clock.GetUtcNow());

    private (OutgoingMessage Message, string Secret) Message(Uri url)
    {
        var destination = new MessageDestination("a" + new string('w', 20), $"c{Guid.NewGuid():N}"[..21]);
        var secret = secrets.Add(destination.AccountId, destination.ChannelId);
        return (new OutgoingMessage(ChannelKind.Webhook, url.ToString(), "Shop failed from 3 regions")
        {
            Subject = "Down: shop",
            Priority = MessagePriority.Alert,
            Destination = destination,
            Data = new JsonObject { ["type"] = "incident.failure", ["monitor"] = new JsonObject { ["id"] = "m1" } },
        }, secret);
    }
}
