using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// The one way a message leaves the app (the TypeScript Sender, ported).
/// <list type="bullet">
/// <item>The message is stored (table <c>deliveries</c>) before the first try and keeps its
/// status, so nothing is lost when a provider fails or the process dies.</item>
/// <item>One idempotency key, one message: sending again with the same key answers the stored
/// status, or carries on an unfinished delivery; it never sends a second copy.</item>
/// <item>Failures are classified by the channel. <see cref="RetryKind.Never"/> ends the delivery as
/// failed. <see cref="RetryKind.Safe"/> and <see cref="RetryKind.Uncertain"/> are retried: a few
/// times at once, then later through the <c>delivery-retries</c> queue (<see cref="DeliveryPolicy"/>).
/// An uncertain try is retried only with the same request id and inside the provider's
/// repeatability window, so the provider drops a duplicate; past that window the delivery is
/// reported failed and flagged MayHaveBeenSent rather than risk sending twice.</item>
/// <item>A sending row is leased to the caller trying it; another takes over only when the lease
/// has run out (its caller died mid-try, so that try counts as uncertain).</item>
/// <item>New messages draw on the <see cref="SendingBudget"/>, which may refuse a confirmation.</item>
/// <item>A planned email or SMS retry whose channel was deleted meanwhile ends failed, unsent
/// (webhooks find the same through their signing secret).</item>
/// </list>
/// </summary>
public sealed class DeliverySender(
    DeliveryStore store,
    DeliveryRetryQueue retries,
    DeliveryChannels channels,
    SendingBudget budget,
    IChannelDirectory directory,
    DeliveryPolicy policy,
    TimeProvider time,
    ILogger<DeliverySender> logger) : IMessageSender
{
    /// <summary>Queue messages may surface a moment early; a second is not worth another round.</summary>
    private static readonly TimeSpan EarlyTolerance = TimeSpan.FromSeconds(1);

    public bool CanSend(ChannelKind channel) => channels.For(channel) is not null;

    /// <summary>
    /// Sends the message named by <paramref name="idempotencyKey"/>, or answers how the delivery made
    /// with that key stands: <see cref="DeliveryOutcome.Sent"/>; <see cref="DeliveryOutcome.Failed"/>
    /// when it ended failed, or (<see cref="DeliveryOutcome.Failed.OverQuota"/>, nothing stored) when a
    /// confirmation is over its budget; <see cref="DeliveryOutcome.Pending"/> while a retry is planned
    /// or another caller is sending it. Cancelling leaves the stored row to be carried on later.
    /// </summary>
    public Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(message, idempotencyKey, TryNow.QuickRetries, cancellationToken);

    /// <inheritdoc cref="SendAsync(OutgoingMessage, string, CancellationToken)"/>
    public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, TryNow tryNow, CancellationToken cancellationToken)
    {
        Check(message, idempotencyKey);
        var id = DeliveryIds.For(idempotencyKey);
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return (await ResumeAsync(existing, tryNow, cancellationToken).ConfigureAwait(false)).Outcome;
        }

        var channel = channels.For(message.Channel);
        var now = time.GetUtcNow();
        var draft = new Delivery(id, idempotencyKey, message, DeliveryStatus.Sending, channel?.Transport, 0, DeliveryIds.RequestId(idempotencyKey, 0), now, false, now, now)
        {
            LeaseUntil = now + policy.Lease,
        };
        if (channel is null)
        {
            // Kept, and reported: e.g. an SMS channel verified before SM_SMS_SENDER was removed.
            var failed = draft with { Status = DeliveryStatus.Failed, LeaseUntil = null, LastError = $"no {message.Channel} transport is configured here" };
            return (await store.TryAddAsync(failed, cancellationToken).ConfigureAwait(false) ?? await RereadAsync(failed, cancellationToken).ConfigureAwait(false)).Outcome;
        }

        if (await budget.TakeAsync(message.Channel, message.Priority, cancellationToken).ConfigureAwait(false) is { } wait)
        {
            return new DeliveryOutcome.Failed(RetryKind.Safe, $"not sent: the hourly {message.Channel} budget for confirmations is used up (the rest is kept for alerts)", RetryAfter: wait) { OverQuota = true };
        }

        // The guard retry comes first: should this process die after storing the row, the row
        // is still picked up once its lease ends. When nothing went wrong it finds nothing to do.
        await retries.ScheduleAsync(id, policy.Lease, cancellationToken).ConfigureAwait(false);
        if (await store.TryAddAsync(draft, cancellationToken).ConfigureAwait(false) is not { } created)
        {
            return (await ResumeAsync(await RereadAsync(draft, cancellationToken).ConfigureAwait(false), tryNow, cancellationToken).ConfigureAwait(false)).Outcome;
        }

        return (await RunAsync(created, channel, tryNow, cancellationToken).ConfigureAwait(false)).Outcome;
    }

    public Task<TimeSpan?> ConfirmationWaitAsync(ChannelKind channel, CancellationToken cancellationToken) =>
        budget.ConfirmationWaitAsync(channel, cancellationToken);

    /// <summary>Carries on a delivery whose retry is due (the delivery-retry function); null when there is no such delivery.</summary>
    public async Task<Delivery?> RetryAsync(string deliveryId, CancellationToken cancellationToken) =>
        await store.GetAsync(deliveryId, cancellationToken).ConfigureAwait(false) is { } delivery
            ? await ResumeAsync(delivery, TryNow.QuickRetries, cancellationToken).ConfigureAwait(false)
            : null;

    private static void Check(OutgoingMessage message, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        if (DeliveryStore.Serialize(message).Length > DeliveryStore.MaxMessageChars)
        {
            throw new ArgumentException($"a message is limited to {DeliveryStore.MaxMessageChars} characters of JSON", nameof(message));
        }

        if (message.Channel == ChannelKind.Webhook && message.Destination is null)
        {
            throw new ArgumentException("a webhook message needs its Destination: its signing secret is found by it", nameof(message));
        }
    }

    private async Task<Delivery> ResumeAsync(Delivery delivery, TryNow tryNow, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var busy = delivery.Status switch
        {
            DeliveryStatus.Sent or DeliveryStatus.Failed => true,
            DeliveryStatus.Sending => delivery.LeaseUntil > now,
            _ => delivery.NextAttemptAt > now + EarlyTolerance,
        };
        if (busy)
        {
            return delivery;
        }

        if (channels.For(delivery.Message.Channel) is not { } channel)
        {
            return await FinishAsync(delivery, delivery with { Status = DeliveryStatus.Failed, LeaseUntil = null, UpdatedAt = now, LastError = $"no {delivery.Message.Channel} transport is configured here" }, cancellationToken).ConfigureAwait(false);
        }

        if (await ChannelGoneAsync(delivery.Message, cancellationToken).ConfigureAwait(false) is { } gone)
        {
            return await FinishAsync(delivery, delivery with { Status = DeliveryStatus.Failed, LeaseUntil = null, NextAttemptAt = null, UpdatedAt = now, LastError = gone }, cancellationToken).ConfigureAwait(false);
        }

        // A lease that ran out: its caller died mid-try, and that try may have reached the provider.
        var mayHaveBeenSent = delivery.MayHaveBeenSent || delivery.Status == DeliveryStatus.Sending;
        var windowPassed = WindowPassed(channel, delivery.FirstSentAt, now);
        if (windowPassed && mayHaveBeenSent)
        {
            return await FinishAsync(delivery, delivery with { Status = DeliveryStatus.Failed, MayHaveBeenSent = true, LeaseUntil = null, UpdatedAt = now, LastError = GiveUp(delivery.LastError) }, cancellationToken).ConfigureAwait(false);
        }

        var claim = delivery with { Status = DeliveryStatus.Sending, MayHaveBeenSent = mayHaveBeenSent, LeaseUntil = now + policy.Lease, NextAttemptAt = null, UpdatedAt = now };
        if (windowPassed)
        {
            // Nothing of the old series reached the provider: a new series may start afresh.
            claim = claim with { RequestId = DeliveryIds.RequestId(delivery.IdempotencyKey, delivery.Attempts), FirstSentAt = now };
        }

        await retries.ScheduleAsync(delivery.Id, policy.Lease, cancellationToken).ConfigureAwait(false);
        if (await store.ReplaceAsync(delivery, claim, cancellationToken).ConfigureAwait(false) is not { } claimed)
        {
            return await RereadAsync(delivery, cancellationToken).ConfigureAwait(false);
        }

        return await RunAsync(claimed, channel, tryNow, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why an email or SMS must not go out any more: its channel was deleted (or, pending, expired) since it was stored; null when it may.</summary>
    private async Task<string?> ChannelGoneAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        message is { Channel: ChannelKind.Email or ChannelKind.Sms, Destination: { } destination }
        && !await directory.ExistsAsync(destination, cancellationToken).ConfigureAwait(false)
            ? $"not sent: channel {destination.ChannelId} of account {destination.AccountId} no longer exists (deleted, or its confirmation expired)"
            : null;

    /// <summary>Tries now, a few times if that helps, and records how it ended.</summary>
    private async Task<Delivery> RunAsync(Delivery delivery, IMessageChannel channel, TryNow tryNow, CancellationToken cancellationToken)
    {
        var quickDelays = policy.QuickDelaysFor(tryNow);
        var attempts = delivery.Attempts;
        var mayHaveBeenSent = delivery.MayHaveBeenSent;
        DeliveryOutcome outcome;
        for (var quick = 0; ; quick++)
        {
            outcome = await TryAsync(delivery, channel, cancellationToken).ConfigureAwait(false);
            attempts++;
            if (outcome is not DeliveryOutcome.Failed { Retry: not RetryKind.Never } failed)
            {
                break;
            }

            mayHaveBeenSent |= failed.Retry == RetryKind.Uncertain;
            var wait = quick < quickDelays.Count ? Max(quickDelays[quick], failed.RetryAfter ?? TimeSpan.Zero) : TimeSpan.MaxValue;
            if (attempts >= policy.MaxAttempts || wait > policy.MaxQuickWait)
            {
                break;
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var done = delivery with { Attempts = attempts, MayHaveBeenSent = mayHaveBeenSent, LeaseUntil = null, UpdatedAt = now };
        if (outcome is DeliveryOutcome.Sent sent)
        {
            return await FinishAsync(delivery, done with { Status = DeliveryStatus.Sent, SentAt = now, LastError = null, LastStatus = null, ProviderId = sent.ProviderId }, cancellationToken).ConfigureAwait(false);
        }

        var last = (DeliveryOutcome.Failed)outcome;
        done = done with { LastError = last.Error, LastStatus = last.Status };
        if (last.Retry == RetryKind.Never || attempts >= policy.MaxAttempts)
        {
            return await FinishAsync(delivery, done with { Status = DeliveryStatus.Failed }, cancellationToken).ConfigureAwait(false);
        }

        var delay = Max(policy.LaterDelay(attempts), last.RetryAfter ?? TimeSpan.Zero);
        if (mayHaveBeenSent && WindowPassed(channel, delivery.FirstSentAt, now + delay))
        {
            return await FinishAsync(delivery, done with { Status = DeliveryStatus.Failed, LastError = GiveUp(last.Error) }, cancellationToken).ConfigureAwait(false);
        }

        // Queued before the row says so: a retry message without its status is harmless, a
        // retrying row without its message would wait forever.
        await retries.ScheduleAsync(delivery.Id, delay, cancellationToken).ConfigureAwait(false);
        return await FinishAsync(delivery, done with { Status = DeliveryStatus.Retrying, NextAttemptAt = now + delay }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One try within its time budget. A channel that throws has failed in a way we cannot see
    /// into, so that counts as uncertain; the caller's own cancellation goes up and leaves the
    /// row leased, to be carried on once the lease ends.
    /// </summary>
    private async Task<DeliveryOutcome> TryAsync(Delivery delivery, IMessageChannel channel, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(policy.AttemptTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await channel.DeliverAsync(delivery.Message, new DeliveryAttempt(delivery.RequestId, delivery.FirstSentAt), linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return deadline.IsCancellationRequested
                ? new DeliveryOutcome.Failed(RetryKind.Uncertain, $"timed out: no outcome within {policy.AttemptTimeout.TotalSeconds:0} s")
                : new DeliveryOutcome.Failed(RetryKind.Uncertain, $"{channel.Transport} failed: {e.Message}");
        }
    }

    private bool WindowPassed(IMessageChannel channel, DateTimeOffset firstSentAt, DateTimeOffset at) =>
        channel.RepeatabilityWindow is { } window && firstSentAt + window - policy.WindowMargin < at;

    private async Task<Delivery> FinishAsync(Delivery current, Delivery next, CancellationToken cancellationToken)
    {
        if (await store.ReplaceAsync(current, next, cancellationToken).ConfigureAwait(false) is not { } written)
        {
            return await RereadAsync(current, cancellationToken).ConfigureAwait(false);
        }

        if (written.Status != DeliveryStatus.Sent)
        {
            logger.LogWarning(
                "delivery {DeliveryId} ({Channel} via {Transport}) {Status} after {Attempts} tries: {Error}",
                written.Id,
                written.Message.Channel,
                written.Transport,
                written.Status,
                written.Attempts,
                written.LastError);
        }

        return written;
    }

    /// <summary>Someone else changed the row meanwhile: theirs is the current truth.</summary>
    private async Task<Delivery> RereadAsync(Delivery delivery, CancellationToken cancellationToken) =>
        await store.GetAsync(delivery.Id, cancellationToken).ConfigureAwait(false) ?? delivery;

    private static string GiveUp(string? lastError) =>
        $"not retried: the provider may have sent it and can no longer tell a repeat apart (last error: {lastError ?? "unknown"})";

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
