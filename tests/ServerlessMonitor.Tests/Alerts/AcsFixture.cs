using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Acs;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Tests.Support.FakeAcs;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>A fake ACS and channels signed with its key, sharing one watched clock. One per test.</summary>
internal sealed class AcsFixture : IAsyncDisposable
{
    public const string EmailSender = "DoNotReply@alerts.example.net";
    public const string SmsSender = "+18005550199";

    private AcsFixture(FakeAcsServer acs, WatchedClock clock)
    {
        Acs = acs;
        Clock = clock;
        Client = AcsClient.FromConfig(new AcsConfig.ConnectionString(acs.ConnectionString), clock);
        Email = new AcsEmailChannel(Client, EmailSender);
        Sms = new AcsSmsChannel(Client, SmsSender);
    }

    public FakeAcsServer Acs { get; }

    public WatchedClock Clock { get; }

    public AcsClient Client { get; }

    public AcsEmailChannel Email { get; }

    public AcsSmsChannel Sms { get; }

    public static async Task<AcsFixture> StartAsync()
    {
        var clock = new WatchedClock();
        return new AcsFixture(await FakeAcsServer.StartAsync(new FakeAcsOptions { Time = clock }), clock);
    }

    public static OutgoingMessage EmailTo(string to, string subject = "Down: shop", string text = "Shop is down") =>
        new(ChannelKind.Email, to, text) { Subject = subject };

    public static OutgoingMessage SmsTo(string to = "+14155550100", string text = "Shop is down") => new(ChannelKind.Sms, to, text);

    /// <summary>A new series of tries, starting now by the fixture's clock.</summary>
    public DeliveryAttempt NewAttempt() => new(Guid.NewGuid(), Clock.GetUtcNow());

    /// <summary>
    /// Delivers, letting each wait the channel starts pass at once in fake time (and noting it in
    /// <paramref name="waits"/>). The poll deadline is not passed by hand: it runs out as the waits
    /// add up, as it would in real time.
    /// </summary>
    public async Task<DeliveryOutcome> DeliverAsync(IMessageChannel channel, OutgoingMessage message, DeliveryAttempt attempt, List<TimeSpan>? waits = null)
    {
        using var done = new CancellationTokenSource();
        var delivery = channel.DeliverAsync(message, attempt, CancellationToken.None);
        while (true)
        {
            var timer = Clock.NextTimerAsync(done.Token);
            if (await Task.WhenAny(delivery, timer) == delivery)
            {
                await done.CancelAsync();
                return await delivery;
            }

            var due = await timer;
            if (due != AcsEmailChannel.PollTimeout)
            {
                waits?.Add(due);
                Clock.Advance(due);
            }
        }
    }

    public ValueTask DisposeAsync() => Acs.DisposeAsync();
}
