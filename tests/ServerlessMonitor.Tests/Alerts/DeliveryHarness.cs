using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMonitor.Core;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// One app instance's service graph (AddServerlessMonitor) over a test's Azurite, on a clock the
/// test moves, with webhook secrets from <see cref="TestSecrets"/>. Two harnesses on the same
/// storage and clock are two instances of one deployment.
/// </summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    /// <summary>One try per call: the queued retries are what most tests look at.</summary>
    public static readonly DeliveryPolicy NoQuickTries = new() { QuickDelays = [] };

    private DeliveryHarness(ServiceProvider services, WatchedClock clock, TestSecrets secrets)
    {
        Services = services;
        Clock = clock;
        Secrets = secrets;
    }

    public ServiceProvider Services { get; }

    public WatchedClock Clock { get; }

    public TestSecrets Secrets { get; }

    public DeliverySender Sender => Services.GetRequiredService<DeliverySender>();

    public DeliveryStore Store => Services.GetRequiredService<DeliveryStore>();

    public QueueClient RetryQueue => Services.GetRequiredService<StorageClients>().Queue(StorageNames.DeliveryRetries);

    public string OutboxFile => Path.Combine(Services.GetRequiredService<MonitorConfig>().DataDir, "outbox.jsonl");

    public static async Task<DeliveryHarness> StartAsync(
        string storage,
        RuntimeMode mode = RuntimeMode.Local,
        Dictionary<string, string?>? settings = null,
        DeliveryPolicy? policy = null,
        WatchedClock? clock = null,
        TestSecrets? secrets = null,
        string? dataDir = null)
    {
        clock ??= new WatchedClock();
        secrets ??= TestSecrets.WithTestKey();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(settings ?? [])
        {
            [SettingCatalog.Storage] = storage,
            [SettingCatalog.DataDir] = dataDir ?? Path.Combine(Path.GetTempPath(), "sm-tests", $"delivery-{Guid.NewGuid():N}"),
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddSingleton(policy ?? NoQuickTries)
            .AddServerlessMonitor(configuration, mode)
            .AddSingleton<IWebhookSecretSource>(secrets)
            .BuildServiceProvider();
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        return new DeliveryHarness(services, clock, secrets);
    }

    /// <summary>Another instance of the same deployment: same storage, clock, secrets and data folder.</summary>
    public Task<DeliveryHarness> SecondInstanceAsync(string storage, RuntimeMode mode = RuntimeMode.Local, Dictionary<string, string?>? settings = null) =>
        StartAsync(storage, mode, settings, Services.GetRequiredService<DeliveryPolicy>(), Clock, Secrets, Services.GetRequiredService<MonitorConfig>().DataDir);

    /// <summary>A webhook alert to <paramref name="url"/> for a new channel, whose secret is returned.</summary>
    public (OutgoingMessage Message, string Secret) Webhook(Uri url)
    {
        var destination = new MessageDestination($"a{Guid.NewGuid():N}"[..21], $"c{Guid.NewGuid():N}"[..21]);
        var secret = Secrets.Add(destination.AccountId, destination.ChannelId);
        var message = new OutgoingMessage(ChannelKind.Webhook, url.ToString(), "Shop failed from 3 regions")
        {
            Subject = "Down: shop",
            Priority = MessagePriority.Alert,
            Destination = destination,
            Data = new JsonObject { ["type"] = "incident.failure", ["monitor"] = new JsonObject { ["id"] = "m1", ["name"] = "shop" } },
        };
        return (message, secret);
    }

    public async Task<int> QueuedAsync() => (await RetryQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    public async Task<Delivery> DeliveryAsync(string idempotencyKey) =>
        await Store.GetAsync(DeliveryIds.For(idempotencyKey), CancellationToken.None) ?? throw new InvalidOperationException($"no delivery for {idempotencyKey}");

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
