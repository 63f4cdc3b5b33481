using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMonitor.Core;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Functions.Alerts;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// Messages sent while an HTTP request waits (confirmations), through the app's service graph on
/// a test clock: one try in the request and the rest from the delivery-retries queue; a refusal
/// for the sending budget that stores nothing; and planned retries to a channel deleted since.
/// </summary>
public sealed class RequestSendTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    /// <summary>Real time after which a call waiting on the test clock counts as stuck (not a speed assertion).</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_channel_confirmation_makes_one_try_in_the_request_and_the_queue_delivers_it_later()
    {
        var clock = new WatchedClock(WatchedClock.Noon.AddDays(10));
        var flaky = new FlakyChannel(failures: 1);
        await using var app = await StartAsync(clock, flaky);
        var account = Ids.New(Ids.Account);
        var address = $"ops-{Guid.NewGuid():N}@example.com";

        // A quick retry would wait on the test clock, which does not move here: the guard turns that into a failure.
        var added = await app.GetRequiredService<AccountChannels>().AddAsync(account, ChannelKind.Email, address, CancellationToken.None).WaitAsync(Guard);

        Assert.True(added.Created);
        Assert.Equal(1, flaky.Tries);
        var delivery = await DeliveryToAsync(app, address);
        Assert.Equal(DeliveryStatus.Retrying, delivery.Status);
        Assert.Equal(1, delivery.Attempts);

        // The retry message the queue holds for it, as the delivery-retry function gets it.
        clock.Advance(delivery.NextAttemptAt!.Value - clock.GetUtcNow());
        await RetryFunction(app).Run(RetryMessage(delivery.Id), CancellationToken.None);

        Assert.Equal(2, flaky.Tries);
        Assert.Equal(DeliveryStatus.Sent, (await app.GetRequiredService<DeliveryStore>().GetAsync(delivery.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Alerts_keep_their_quick_retries_within_the_call()
    {
        var clock = new WatchedClock(WatchedClock.Noon.AddDays(11));
        var flaky = new FlakyChannel(failures: 1);
        await using var app = await StartAsync(clock, flaky);
        var message = new OutgoingMessage(ChannelKind.Email, "oncall@example.com", "Shop is down") { Priority = MessagePriority.Alert };

        var sending = app.GetRequiredService<IMessageSender>().SendAsync(message, $"incident-{Guid.NewGuid():N}:a:1", CancellationToken.None);

        // Each try starts its deadline timer; the first quick wait is the other timer started.
        TimeSpan due;
        do
        {
            due = await clock.NextTimerAsync(CancellationToken.None).WaitAsync(Guard);
        }
        while (due == new DeliveryPolicy().AttemptTimeout);
        Assert.Equal(new DeliveryPolicy().QuickDelays[0], due);
        clock.Advance(due);

        Assert.IsType<DeliveryOutcome.Sent>(await sending);
        Assert.Equal(2, flaky.Tries);
    }

    [Fact]
    public async Task A_planned_email_retry_to_a_deleted_channel_ends_failed_without_sending()
    {
        var clock = new WatchedClock(WatchedClock.Noon.AddDays(12));
        var flaky = new FlakyChannel(failures: 1);
        await using var app = await StartAsync(clock, flaky);
        var accounts = app.GetRequiredService<AccountStore>();
        var account = Ids.New(Ids.Account);
        var kept = await VerifiedChannelAsync(accounts, account, $"kept-{Guid.NewGuid():N}@example.com", clock);
        var deleted = await VerifiedChannelAsync(accounts, account, $"gone-{Guid.NewGuid():N}@example.com", clock);
        var sender = app.GetRequiredService<IMessageSender>();

        // Both fail their tries in the call, so both wait for the queue.
        flaky.FailNext(6);
        foreach (var channel in new[] { kept, deleted })
        {
            var message = new OutgoingMessage(ChannelKind.Email, channel.Address, "Shop is down") { Priority = MessagePriority.Alert, Destination = new MessageDestination(account, channel.Id) };
            Assert.IsType<DeliveryOutcome.Pending>(await sender.SendAsync(message, $"incident-{Guid.NewGuid():N}:{channel.Id}:1", TryNow.Once, CancellationToken.None));
        }

        Assert.True(await accounts.DeleteChannelAsync(account, deleted.Id, CancellationToken.None));
        var triesBefore = flaky.Tries;
        flaky.FailNext(0);
        clock.Advance(TimeSpan.FromMinutes(1));
        var toKept = await DeliveryToAsync(app, kept.Address);
        var toDeleted = await DeliveryToAsync(app, deleted.Address);
        await RetryFunction(app).Run(RetryMessage(toDeleted.Id), CancellationToken.None);
        await RetryFunction(app).Run(RetryMessage(toKept.Id), CancellationToken.None);

        var store = app.GetRequiredService<DeliveryStore>();
        var dropped = (await store.GetAsync(toDeleted.Id, CancellationToken.None))!;
        Assert.Equal(DeliveryStatus.Failed, dropped.Status);
        Assert.Contains($"channel {deleted.Id} of account {account} no longer exists", dropped.LastError, StringComparison.Ordinal);
        Assert.False(dropped.MayHaveBeenSent);
        Assert.Equal(DeliveryStatus.Sent, (await store.GetAsync(toKept.Id, CancellationToken.None))!.Status);
        Assert.Equal(triesBefore + 1, flaky.Tries);
        Assert.DoesNotContain(deleted.Address, flaky.SentTo);
    }

    [Fact]
    public async Task A_sign_up_over_the_confirmation_budget_is_refused_with_its_wait_and_stores_nothing()
    {
        // 2 emails an hour, half for confirmations: one sign-up an hour.
        var clock = new WatchedClock(WatchedClock.Noon.AddDays(13).AddMinutes(15));
        var flaky = new FlakyChannel(failures: 0);
        await using var app = await StartAsync(clock, flaky, new() { [SettingCatalog.EmailHourlyBudget] = "2", [SettingCatalog.ConfirmationShare] = "50" });
        var signups = app.GetRequiredService<Signups>();
        var accounts = app.GetRequiredService<AccountStore>();
        var client = System.Net.IPAddress.Parse("192.0.2.7");
        await signups.SignUpAsync($"first-{Guid.NewGuid():N}@example.com", null, client, CancellationToken.None);

        var refusedAddress = $"second-{Guid.NewGuid():N}@example.com";
        var refusal = await Assert.ThrowsAsync<Refusal>(() => signups.SignUpAsync(refusedAddress, null, client, CancellationToken.None));

        Assert.Equal(RefusalKind.RateLimited, refusal.Kind);
        Assert.Equal("rate_limited", refusal.Code);
        Assert.Equal(TimeSpan.FromMinutes(45), refusal.RetryAfter);
        Assert.Null(await accounts.GetEmailIndexAsync(Ids.Sha256Hex(refusedAddress), CancellationToken.None));
        Assert.Single(flaky.SentTo);

        // Not counted against the address either: its one sign-up counted is the one that went.
        clock.Advance(refusal.RetryAfter!.Value);
        var id = await signups.SignUpAsync(refusedAddress, null, client, CancellationToken.None);
        Assert.Equal(AccountStatus.Pending, (await accounts.GetProfileAsync(id, CancellationToken.None))!.Status);
        Assert.Equal([refusedAddress], flaky.SentTo.Skip(1).ToList());
        Assert.Single((await accounts.GetEmailIndexAsync(Ids.Sha256Hex(refusedAddress), CancellationToken.None))!.Signups);
    }

    [Fact]
    public async Task Channel_and_invitation_confirmations_over_the_budget_are_refused_before_anything_is_stored()
    {
        var clock = new WatchedClock(WatchedClock.Noon.AddDays(14).AddMinutes(30));
        var flaky = new FlakyChannel(failures: 0);
        await using var app = await StartAsync(clock, flaky, new() { [SettingCatalog.EmailHourlyBudget] = "2", [SettingCatalog.ConfirmationShare] = "50" });
        var account = Ids.New(Ids.Account);
        var channels = app.GetRequiredService<AccountChannels>();
        await channels.AddAsync(account, ChannelKind.Email, $"one-{Guid.NewGuid():N}@example.com", CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<Refusal>(() => channels.AddAsync(account, ChannelKind.Email, $"two-{Guid.NewGuid():N}@example.com", CancellationToken.None));

        Assert.Equal(RefusalKind.RateLimited, refusal.Kind);
        Assert.Equal(TimeSpan.FromMinutes(30), refusal.RetryAfter);
        Assert.Single(await app.GetRequiredService<AccountStore>().ListChannelsAsync(account, CancellationToken.None));

        // An invitation is a confirmation too: refused before the receiver is stored or the owner's daily invitations counted.
        var body = System.Text.Json.JsonDocument.Parse("""{"name":"Shop","type":"https","target":"https://example.com/","intervalMinutes":5}""").RootElement;
        var (monitor, _) = await app.GetRequiredService<MonitorService>().CreateAsync(new Caller(account, Ids.New(Ids.Key), false), body, null, CancellationToken.None);
        var invitation = await Assert.ThrowsAsync<Refusal>(() => app.GetRequiredService<Invitations>().InviteAsync(account, monitor.Id, $"bob-{Guid.NewGuid():N}@example.com", CancellationToken.None));
        Assert.Equal(RefusalKind.RateLimited, invitation.Kind);
        Assert.Equal(TimeSpan.FromMinutes(30), invitation.RetryAfter);
        Assert.Empty(await app.GetRequiredService<MonitorStore>().ListReceiversAsync(monitor.Id, CancellationToken.None));
        Assert.Empty((await app.GetRequiredService<AccountStore>().GetInvitationTimesAsync(account, CancellationToken.None)).Times);
        Assert.Single(flaky.SentTo);
    }

    private static async Task<ServiceProvider> BuildAsync(IConfiguration configuration, TimeProvider clock, FlakyChannel email)
    {
        var services = new ServiceCollection()
            .AddSingleton(clock)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddServerlessMonitor(configuration, RuntimeMode.Local)
            .AddSingleton(new DeliveryChannels(email, email, null))
            .BuildServiceProvider();
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        return services;
    }

    private async Task<ServiceProvider> StartAsync(WatchedClock clock, FlakyChannel email, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(settings ?? [])
        {
            [SettingCatalog.Storage] = azurite.ConnectionString,
            [SettingCatalog.TokenSecret] = AccountsRuntime.TokenSecret,
            [SettingCatalog.DataDir] = Path.Combine(Path.GetTempPath(), "sm-tests", $"request-{Guid.NewGuid():N}"),
        }).Build();
        return await BuildAsync(configuration, clock, email);
    }

    private static async Task<Channel> VerifiedChannelAsync(AccountStore accounts, string account, string address, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var channel = new Channel(AccountChannels.IdFor(account, ChannelKind.Email, address), account, ChannelKind.Email, address, ChannelStatus.Verified, now, now, null, null, [], default);
        Assert.True(await accounts.SaveChannelAsync(channel, CancellationToken.None));
        return channel;
    }

    /// <summary>The stored delivery of the one message to <paramref name="address"/> (addresses are unique per test).</summary>
    private static async Task<Delivery> DeliveryToAsync(IServiceProvider app, string address)
    {
        var table = app.GetRequiredService<StorageClients>().Table(StorageNames.Deliveries);
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.RowKey == string.Empty))
        {
            if (row.GetString("Message")?.Contains(address, StringComparison.Ordinal) == true)
            {
                return (await app.GetRequiredService<DeliveryStore>().GetAsync(row.PartitionKey, CancellationToken.None))!;
            }
        }

        throw new InvalidOperationException($"no delivery to {address}");
    }

    private static DeliveryRetryFunction RetryFunction(IServiceProvider app) =>
        new(app.GetRequiredService<DeliverySender>(), NullLogger<DeliveryRetryFunction>.Instance);

    private static string RetryMessage(string deliveryId) => $$"""{"deliveryId":"{{deliveryId}}"}""";

    /// <summary>An email and SMS transport that refuses its first tries (connection refused: safe to repeat) and then sends.</summary>
    internal sealed class FlakyChannel(int failures) : IMessageChannel
    {
        private readonly List<string> sentTo = [];
        private int failuresLeft = failures;
        private int tries;

        public DeliveryTransport Transport => DeliveryTransport.Outbox;

        public TimeSpan? RepeatabilityWindow => null;

        public int Tries => Volatile.Read(ref tries);

        public IReadOnlyList<string> SentTo
        {
            get
            {
                lock (sentTo)
                {
                    return [.. sentTo];
                }
            }
        }

        public void FailNext(int count) => Volatile.Write(ref failuresLeft, count);

        public Task<DeliveryOutcome> DeliverAsync(OutgoingMessage message, DeliveryAttempt attempt, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref tries);
            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                return Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Failed(RetryKind.Safe, "not sent: connection refused"));
            }

            lock (sentTo)
            {
                sentTo.Add(message.To);
            }

            return Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Sent(null));
        }
    }
}
