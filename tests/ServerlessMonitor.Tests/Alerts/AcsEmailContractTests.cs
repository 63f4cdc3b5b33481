using System.Globalization;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Acs;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Tests.Support.FakeAcs;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// The email half of tests/integration/alerts/acs-contract.test.ts, at the channel: what one try
/// sends and what it reports, against a fake ACS that checks signatures and shapes. The sender's
/// half of those tests (storage, queued retries) belongs with the sender.
/// </summary>
public sealed class AcsEmailContractTests
{
    [Fact]
    public async Task Sends_a_signed_well_formed_request_and_follows_the_operation_to_Succeeded()
    {
        await using var f = await AcsFixture.StartAsync();
        var attempt = f.NewAttempt();

        var outcome = await f.DeliverAsync(f.Email, AcsFixture.EmailTo("oncall@example.com", "Down #1", "Shop is down (1)"), attempt);

        Assert.Equal(new DeliveryOutcome.Sent(attempt.RequestId.ToString()), outcome);
        var email = Assert.Single(f.Acs.Emails);
        Assert.Equal(
            (attempt.RequestId.ToString(), AcsFixture.EmailSender, "Down #1", "Shop is down (1)", (string?)null),
            (email.OperationId, email.SenderAddress, email.Subject, email.PlainText, email.Html));
        Assert.Equal(["oncall@example.com"], email.To);
        Assert.Equal(["POST 202", "GET 200", "GET 200"], f.Acs.Requests.Select(r => $"{r.Method} {r.Status}"));
        var post = f.Acs.Requests[0];
        Assert.Equal("/emails:send?api-version=2023-03-31", post.Target);
        Assert.Equal(attempt.RequestId.ToString(), post.Header("operation-id"));
        Assert.Equal(attempt.RequestId.ToString(), post.Header("repeatability-request-id"));
        Assert.Equal(attempt.FirstSentAt.ToString("r", CultureInfo.InvariantCulture), post.Header("repeatability-first-sent"));
        Assert.All(f.Acs.Requests, r => Assert.Null(r.Problem));
    }

    [Fact]
    public async Task Is_refused_by_ACS_when_signed_with_the_wrong_key_and_reports_it_as_not_worth_retrying()
    {
        await using var f = await AcsFixture.StartAsync();
        var wrongKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());
        var client = AcsClient.FromConfig(new AcsConfig.ConnectionString($"endpoint={f.Acs.Url};accesskey={wrongKey}"), f.Clock);

        var outcome = await f.DeliverAsync(new AcsEmailChannel(client, AcsFixture.EmailSender), AcsFixture.EmailTo("oncall@example.com"), f.NewAttempt());

        var failed = Assert.IsType<DeliveryOutcome.Failed>(outcome);
        Assert.Equal((RetryKind.Never, 401), (failed.Retry, failed.Status));
        var request = Assert.Single(f.Acs.Requests);
        Assert.Equal((401, "the signature does not match"), (request.Status, request.Problem));
        Assert.Empty(f.Acs.Emails);
    }

    [Fact]
    public async Task Reports_5xx_as_uncertain_and_a_retry_with_the_same_attempt_sends_one_email()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(503), new FakeFailure(500));
        var attempt = f.NewAttempt();
        var message = AcsFixture.EmailTo("oncall@example.com");

        var first = await f.DeliverAsync(f.Email, message, attempt);
        var second = await f.DeliverAsync(f.Email, message, attempt);
        var third = await f.DeliverAsync(f.Email, message, attempt);

        Assert.Equal((RetryKind.Uncertain, 503), (Assert.IsType<DeliveryOutcome.Failed>(first).Retry, Assert.IsType<DeliveryOutcome.Failed>(first).Status));
        Assert.Equal((RetryKind.Uncertain, 500), (Assert.IsType<DeliveryOutcome.Failed>(second).Retry, Assert.IsType<DeliveryOutcome.Failed>(second).Status));
        Assert.IsType<DeliveryOutcome.Sent>(third);
        Assert.Single(f.Acs.Emails);
        var posts = f.Acs.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal([503, 500, 202], posts.Select(r => r.Status));
        Assert.All(posts, r => Assert.Equal(attempt.RequestId.ToString(), r.Header("repeatability-request-id")));
        Assert.Single(posts.Select(r => r.Header("repeatability-first-sent")).Distinct());
    }

    [Fact]
    public async Task Never_sends_twice_when_ACS_sent_it_but_the_answer_was_lost()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(500) { AfterProcessing = true });
        var attempt = f.NewAttempt();
        var message = AcsFixture.EmailTo("oncall@example.com");

        var lost = await f.DeliverAsync(f.Email, message, attempt);
        var again = await f.DeliverAsync(f.Email, message, attempt);

        Assert.Equal(RetryKind.Uncertain, Assert.IsType<DeliveryOutcome.Failed>(lost).Retry);
        Assert.Equal(new DeliveryOutcome.Sent(attempt.RequestId.ToString()), again);
        Assert.Single(f.Acs.Emails);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("120", 120)]
    [InlineData("Sun, 29 Nov 2026 12:01:30 GMT", 90)]
    public async Task Reports_throttling_as_safe_with_the_wait_ACS_asked_for_and_sends_once_when_retried(string retryAfter, int seconds)
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(429) { RetryAfter = retryAfter });
        var attempt = f.NewAttempt();
        var message = AcsFixture.EmailTo("oncall@example.com");

        var throttled = Assert.IsType<DeliveryOutcome.Failed>(await f.DeliverAsync(f.Email, message, attempt));
        f.Clock.Advance(TimeSpan.FromSeconds(seconds));
        var retried = await f.DeliverAsync(f.Email, message, attempt);

        Assert.Equal((RetryKind.Safe, 429, TimeSpan.FromSeconds(seconds)), (throttled.Retry, throttled.Status, throttled.RetryAfter));
        Assert.Contains("429", throttled.Error, StringComparison.Ordinal);
        Assert.IsType<DeliveryOutcome.Sent>(retried);
        Assert.Single(f.Acs.Emails);
    }

    [Fact]
    public async Task Fails_for_good_on_a_400_with_the_reason_ACS_gave()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(400));

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await f.DeliverAsync(f.Email, AcsFixture.EmailTo("oncall@example.com"), f.NewAttempt()));

        Assert.Equal((RetryKind.Never, 400), (failed.Retry, failed.Status));
        Assert.Equal("HTTP 400: Injected: injected 400", failed.Error);
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("Canceled")]
    public async Task Reports_an_operation_that_ends_without_sending_as_not_worth_retrying(string finalStatus)
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FinalStatus = finalStatus;

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await f.DeliverAsync(f.Email, AcsFixture.EmailTo("oncall@example.com"), f.NewAttempt()));

        Assert.Equal(RetryKind.Never, failed.Retry);
        Assert.Equal($"ACS email {finalStatus.ToLowerInvariant()}: all recipients are suppressed", failed.Error);
    }

    [Fact]
    public async Task Answers_a_repeat_of_a_sent_attempt_with_the_same_id_and_sends_nothing_more()
    {
        await using var f = await AcsFixture.StartAsync();
        var attempt = f.NewAttempt();
        var message = AcsFixture.EmailTo("oncall@example.com");

        var first = await f.DeliverAsync(f.Email, message, attempt);
        var again = await f.DeliverAsync(f.Email, message, attempt);

        Assert.Equal(first, again);
        Assert.Single(f.Acs.Emails);
    }

    [Fact]
    public async Task Keeps_retries_inside_the_repeatability_window_ACS_enforces()
    {
        await using var f = await AcsFixture.StartAsync();
        var stale = new DeliveryAttempt(Guid.NewGuid(), f.Clock.GetUtcNow() - TimeSpan.FromMinutes(6));

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await f.DeliverAsync(f.Email, AcsFixture.EmailTo("oncall@example.com"), stale));

        Assert.Equal(TimeSpan.FromMinutes(5), f.Email.RepeatabilityWindow);
        Assert.Equal((RetryKind.Never, 412), (failed.Retry, failed.Status));
        Assert.Empty(f.Acs.Emails);
    }

    [Fact]
    public async Task Starts_a_new_repeatability_series_after_a_window_in_which_nothing_reached_ACS()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.FailNext(new FakeFailure(429) { RetryAfter = "600" });
        var message = AcsFixture.EmailTo("oncall@example.com");
        var throttled = await f.DeliverAsync(f.Email, message, f.NewAttempt());

        f.Clock.Advance(TimeSpan.FromMinutes(10));
        var fresh = f.NewAttempt();
        var sent = await f.DeliverAsync(f.Email, message, fresh);

        Assert.Equal(RetryKind.Safe, Assert.IsType<DeliveryOutcome.Failed>(throttled).Retry);
        Assert.Equal(new DeliveryOutcome.Sent(fresh.RequestId.ToString()), sent);
        Assert.DoesNotContain(f.Acs.Requests, r => r.Status == 412);
        Assert.Single(f.Acs.Emails);
    }

    [Fact]
    public async Task Waits_between_polls_as_long_as_ACS_asks()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.RunningPolls = 2;
        f.Acs.PollRetryAfter = "3";
        var waits = new List<TimeSpan>();

        var outcome = await f.DeliverAsync(f.Email, AcsFixture.EmailTo("oncall@example.com"), f.NewAttempt(), waits);

        Assert.IsType<DeliveryOutcome.Sent>(outcome);
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], waits);
        Assert.Equal(["POST 202", "GET 200", "GET 200", "GET 200"], f.Acs.Requests.Select(r => $"{r.Method} {r.Status}"));
    }

    [Fact]
    public async Task Counts_an_accepted_email_as_sent_when_the_operation_is_still_running_at_the_poll_timeout()
    {
        await using var f = await AcsFixture.StartAsync();
        f.Acs.RunningPolls = int.MaxValue;
        f.Acs.PollRetryAfter = "3";
        var attempt = f.NewAttempt();

        var outcome = await f.DeliverAsync(f.Email, AcsFixture.EmailTo("oncall@example.com"), attempt);

        Assert.Equal(new DeliveryOutcome.Sent(attempt.RequestId.ToString()), outcome);
        Assert.Equal(3, f.Acs.Requests.Count(r => r.Method == "GET"));
        Assert.Equal(AcsEmailChannel.PollTimeout, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Counts_an_accepted_email_as_sent_when_a_poll_hangs_past_the_poll_timeout()
    {
        await using var f = await AcsFixture.StartAsync();
        var held = f.Acs.HoldNext("GET");
        var attempt = f.NewAttempt();
        var delivery = f.Email.DeliverAsync(AcsFixture.EmailTo("oncall@example.com"), attempt, CancellationToken.None);

        Assert.Equal(AcsEmailChannel.PollTimeout, await f.Clock.NextTimerAsync(CancellationToken.None));
        f.Clock.Advance(await f.Clock.NextTimerAsync(CancellationToken.None));
        await held.Arrived;
        f.Clock.Advance(AcsEmailChannel.PollTimeout);

        Assert.Equal(new DeliveryOutcome.Sent(attempt.RequestId.ToString()), await delivery);
        Assert.Single(f.Acs.Emails);
    }

    [Fact]
    public async Task Counts_an_accepted_email_as_sent_when_the_caller_gives_up_while_polling()
    {
        await using var f = await AcsFixture.StartAsync();
        var held = f.Acs.HoldNext("GET");
        using var attemptBudget = new CancellationTokenSource();
        var attempt = f.NewAttempt();
        var delivery = f.Email.DeliverAsync(AcsFixture.EmailTo("oncall@example.com"), attempt, attemptBudget.Token);

        await f.Clock.NextTimerAsync(CancellationToken.None);
        f.Clock.Advance(await f.Clock.NextTimerAsync(CancellationToken.None));
        await held.Arrived;
        await attemptBudget.CancelAsync();

        Assert.Equal(new DeliveryOutcome.Sent(attempt.RequestId.ToString()), await delivery);
    }
}
