using Azure.Data.Tables;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// The durable sender over Azurite, with a real webhook receiver as the transport: the row before
/// the first try, one message per key, leases, and retries through the queue on a fake clock.
/// </summary>
public sealed class DeliverySenderTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task The_message_is_stored_before_the_first_try_and_stays_when_the_try_dies()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString);
        var (message, secret) = app.Webhook(receiver.Url);
        var key = Key();
        var held = receiver.HoldNext();
        using var dying = new CancellationTokenSource();

        var send = app.Sender.SendAsync(message, key, dying.Token);
        await held.Arrived;
        var during = await app.DeliveryAsync(key);
        await dying.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Equal((DeliveryStatus.Sending, message.To), (during.Status, during.Message.To));
        var after = await app.DeliveryAsync(key);
        Assert.Equal(DeliveryStatus.Sending, after.Status);
        Assert.Equal(app.Clock.GetUtcNow() + DeliveryHarness.NoQuickTries.Lease, after.LeaseUntil);

        // The row names its channel and holds no secret: every column, as stored.
        var row = (await new TableClient(azurite.ConnectionString, StorageNames.Deliveries).GetEntityAsync<TableEntity>(after.Id, string.Empty)).Value;
        Assert.DoesNotContain(row, kv => kv.Value?.ToString()?.Contains(secret, StringComparison.Ordinal) == true);
        Assert.Contains(message.Destination!.ChannelId, row.GetString("Message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leased_delivery_is_left_to_its_sender_and_taken_over_by_another_instance_when_the_lease_runs_out()
    {
        await using var first = await DeliveryHarness.StartAsync(azurite.ConnectionString);
        await using var second = await first.SecondInstanceAsync(azurite.ConnectionString);
        var (message, secret) = first.Webhook(receiver.Url);
        var key = Key();
        var held = receiver.HoldNext();
        using var dying = new CancellationTokenSource();
        var send = first.Sender.SendAsync(message, key, dying.Token);
        await held.Arrived;
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);

        var whileLeased = await second.Sender.SendAsync(message, key, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Sending, Assert.IsType<DeliveryOutcome.Pending>(whileLeased).Status);
        Assert.Single(receiver.Requests);

        first.Clock.Advance(DeliveryHarness.NoQuickTries.Lease + TimeSpan.FromSeconds(1));
        var takenOver = await second.Sender.RetryAsync(DeliveryIds.For(key), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Sent, takenOver!.Status);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Single(receiver.Requests.Select(r => r.Header("x-sm-delivery")).Distinct());
        Assert.All(receiver.Requests, r => Assert.True(WebhookReceiver.Verify(r, secret, first.Clock.GetUtcNow())));
    }

    [Fact]
    public async Task The_same_key_twice_sends_one_message_and_answers_the_stored_status()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString);
        var (message, _) = app.Webhook(receiver.Url);
        var key = Key();

        var first = await app.Sender.SendAsync(message, key, CancellationToken.None);
        var second = await app.Sender.SendAsync(message with { Text = "a different text" }, key, CancellationToken.None);

        Assert.IsType<DeliveryOutcome.Sent>(first);
        Assert.IsType<DeliveryOutcome.Sent>(second);
        Assert.Single(receiver.Requests);
        Assert.Equal(1, (await app.DeliveryAsync(key)).Attempts);
    }

    [Fact]
    public async Task A_throttled_try_is_retried_later_through_the_queue_with_the_same_delivery_id()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString);
        var (message, _) = app.Webhook(receiver.Url);
        var key = Key();
        receiver.AnswerNext(429);
        var queuedBefore = await app.QueuedAsync();

        var pending = Assert.IsType<DeliveryOutcome.Pending>(await app.Sender.SendAsync(message, key, CancellationToken.None));

        Assert.Equal((DeliveryStatus.Retrying, app.Clock.GetUtcNow() + TimeSpan.FromSeconds(30)), (pending.Status, pending.NextAttemptAt));
        Assert.Equal(queuedBefore + 2, await app.QueuedAsync()); // the guard and the retry
        Assert.False((await app.DeliveryAsync(key)).MayHaveBeenSent);

        // Early: the retry message surfaced before its time, and is left alone.
        Assert.Equal(DeliveryStatus.Retrying, (await app.Sender.RetryAsync(DeliveryIds.For(key), CancellationToken.None))!.Status);
        Assert.Single(receiver.Requests);

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var done = await app.Sender.RetryAsync(DeliveryIds.For(key), CancellationToken.None);

        Assert.Equal((DeliveryStatus.Sent, 2), (done!.Status, done.Attempts));
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Single(receiver.Requests.Select(r => r.Header("x-sm-delivery")).Distinct());
    }

    [Fact]
    public async Task Later_retries_back_off_and_the_delivery_fails_after_the_last_try()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString);
        var (message, _) = app.Webhook(receiver.Url);
        var key = Key();
        for (var i = 0; i < 8; i++)
        {
            receiver.AnswerNext(503);
        }

        var waits = new List<TimeSpan>();
        var outcome = await app.Sender.SendAsync(message, key, CancellationToken.None);
        while (outcome is DeliveryOutcome.Pending { NextAttemptAt: { } next })
        {
            waits.Add(next - app.Clock.GetUtcNow());
            app.Clock.Advance(next - app.Clock.GetUtcNow());
            outcome = (await app.Sender.RetryAsync(DeliveryIds.For(key), CancellationToken.None))!.Outcome;
        }

        Assert.Equal([30, 120, 600, 1800, 3600, 3600, 3600], waits.Select(w => w.TotalSeconds));
        var failed = Assert.IsType<DeliveryOutcome.Failed>(outcome);
        Assert.True(failed.MayHaveBeenSent);
        Assert.Equal(503, failed.Status);
        Assert.Equal(8, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_try_that_cannot_work_fails_at_once_without_a_retry()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString);
        var (message, _) = app.Webhook(receiver.Url);
        receiver.AnswerNext(404);
        var queuedBefore = await app.QueuedAsync();

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await app.Sender.SendAsync(message, Key(), CancellationToken.None));

        Assert.Equal((RetryKind.Never, 404, false), (failed.Retry, failed.Status, failed.MayHaveBeenSent));
        Assert.Equal(queuedBefore + 1, await app.QueuedAsync()); // only the guard, which will find it finished
    }

    [Fact]
    public async Task Quick_retries_within_one_call_wait_a_quarter_second_then_a_second()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, policy: new DeliveryPolicy());
        var (message, _) = app.Webhook(receiver.Url);
        receiver.AnswerNext(503);
        receiver.AnswerNext(429);

        var waits = new List<TimeSpan>();
        var send = app.Sender.SendAsync(message, Key(), CancellationToken.None);
        using var done = new CancellationTokenSource();
        while (!send.IsCompleted)
        {
            var timer = app.Clock.NextTimerAsync(done.Token);
            if (await Task.WhenAny(send, timer) == send)
            {
                break;
            }

            // Deadlines (the try's 30 s, the webhook's 10 s) are left to run; waits pass at once.
            var due = await timer;
            if (due < WebhookChannelTimeout)
            {
                waits.Add(due);
                app.Clock.Advance(due);
            }
        }

        await done.CancelAsync();
        Assert.IsType<DeliveryOutcome.Sent>(await send);
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)], waits);
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_removed_channel_gets_nothing_more_and_its_planned_retry_is_dropped()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString);
        var (message, _) = app.Webhook(receiver.Url);
        var key = Key();
        receiver.AnswerNext(503);
        Assert.IsType<DeliveryOutcome.Pending>(await app.Sender.SendAsync(message, key, CancellationToken.None));

        app.Secrets.Remove(message.Destination!.AccountId, message.Destination.ChannelId);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var dropped = await app.Sender.RetryAsync(DeliveryIds.For(key), CancellationToken.None);

        Assert.Equal((DeliveryStatus.Failed, "not sent: the channel was removed"), (dropped!.Status, dropped.LastError));
        Assert.Single(receiver.Requests);
        var gone = app.Webhook(receiver.Url).Message;
        app.Secrets.Remove(gone.Destination!.AccountId, gone.Destination.ChannelId);
        Assert.IsType<DeliveryOutcome.Failed>(await app.Sender.SendAsync(gone, Key(), CancellationToken.None));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_retry_message_for_no_delivery_finds_nothing_to_do()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString);

        Assert.Null(await app.Sender.RetryAsync(DeliveryIds.For(Key()), CancellationToken.None));
    }

    private static readonly TimeSpan WebhookChannelTimeout = Core.Alerts.Webhooks.WebhookChannel.Timeout;

    private static string Key() => $"incident-{Guid.NewGuid():N}:owner:1";
}
