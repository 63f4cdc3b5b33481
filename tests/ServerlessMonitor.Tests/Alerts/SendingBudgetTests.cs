using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// Confirmations draw on a share of the hourly sending budget, kept in Table Storage so that every
/// instance sees the same; alerts always go. Here the budget is 4 emails an hour, half of it for
/// confirmations, and the messages go to the local outbox.
/// </summary>
public sealed class SendingBudgetTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly Dictionary<string, string?> Budget = new()
    {
        [SettingCatalog.EmailHourlyBudget] = "4",
        [SettingCatalog.ConfirmationShare] = "50",
    };

    [Fact]
    public async Task Confirmations_stop_at_their_share_across_instances_while_alerts_still_go()
    {
        // Each test its own hour, so the counts of one do not reach another.
        var clock = new WatchedClock(WatchedClock.Noon.AddDays(1));
        await using var a = await DeliveryHarness.StartAsync(azurite.ConnectionString, settings: Budget, clock: clock);
        await using var b = await a.SecondInstanceAsync(azurite.ConnectionString, settings: Budget);
        clock.Advance(TimeSpan.FromMinutes(20));

        Assert.IsType<DeliveryOutcome.Sent>(await a.Sender.SendAsync(Confirmation("one@example.com"), Key(), CancellationToken.None));
        Assert.IsType<DeliveryOutcome.Sent>(await b.Sender.SendAsync(Confirmation("two@example.com"), Key(), CancellationToken.None));
        var refusedKey = Key();
        var refused = Assert.IsType<DeliveryOutcome.Failed>(await a.Sender.SendAsync(Confirmation("three@example.com"), refusedKey, CancellationToken.None));

        Assert.True(refused.OverQuota);
        Assert.Equal(TimeSpan.FromMinutes(40), refused.RetryAfter);
        Assert.Null(await a.Store.GetAsync(DeliveryIds.For(refusedKey), CancellationToken.None));

        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<DeliveryOutcome.Sent>(await b.Sender.SendAsync(Alert($"oncall{i}@example.com"), Key(), CancellationToken.None));
        }

        var outbox = await File.ReadAllTextAsync(a.OutboxFile);
        Assert.DoesNotContain("three@example.com", outbox, StringComparison.Ordinal);
        Assert.Contains("oncall2@example.com", outbox, StringComparison.Ordinal);

        // The next hour has a new budget, and the refused confirmation may be sent with its key.
        clock.Advance(refused.RetryAfter!.Value);
        Assert.IsType<DeliveryOutcome.Sent>(await a.Sender.SendAsync(Confirmation("three@example.com"), refusedKey, CancellationToken.None));
    }

    [Fact]
    public async Task Once_alerts_have_used_the_budget_no_confirmation_goes_even_within_its_share()
    {
        var clock = new WatchedClock(WatchedClock.Noon.AddDays(2));
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, settings: Budget, clock: clock);
        for (var i = 0; i < 4; i++)
        {
            Assert.IsType<DeliveryOutcome.Sent>(await app.Sender.SendAsync(Alert($"oncall{i}@example.com"), Key(), CancellationToken.None));
        }

        var refused = Assert.IsType<DeliveryOutcome.Failed>(await app.Sender.SendAsync(Confirmation("late@example.com"), Key(), CancellationToken.None));

        Assert.True(refused.OverQuota);
        Assert.IsType<DeliveryOutcome.Sent>(await app.Sender.SendAsync(Alert("oncall5@example.com"), Key(), CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_confirmations_from_two_instances_get_exactly_their_share()
    {
        var clock = new WatchedClock(WatchedClock.Noon.AddDays(3));
        await using var a = await DeliveryHarness.StartAsync(azurite.ConnectionString, settings: Budget, clock: clock);
        await using var b = await a.SecondInstanceAsync(azurite.ConnectionString, settings: Budget);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? a : b).Sender.SendAsync(Confirmation($"c{i}@example.com"), Key(), CancellationToken.None)));

        Assert.Equal(2, outcomes.Count(o => o is DeliveryOutcome.Sent));
        Assert.Equal(8, outcomes.Count(o => o is DeliveryOutcome.Failed { OverQuota: true }));
    }

    [Fact]
    public async Task Without_a_budget_nothing_is_counted_or_refused()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, clock: new WatchedClock(WatchedClock.Noon.AddDays(4)));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => app.Sender.SendAsync(Confirmation($"c{i}@example.com"), Key(), CancellationToken.None)));

        Assert.All(outcomes, o => Assert.IsType<DeliveryOutcome.Sent>(o));
    }

    private static OutgoingMessage Confirmation(string to) => new(ChannelKind.Email, to, "Confirm: http://127.0.0.1/api/confirm/x") { Subject = "Confirm" };

    private static OutgoingMessage Alert(string to) => new(ChannelKind.Email, to, "Shop is down") { Subject = "Down: shop", Priority = MessagePriority.Alert };

    private static string Key() => $"k-{Guid.NewGuid():N}";
}
