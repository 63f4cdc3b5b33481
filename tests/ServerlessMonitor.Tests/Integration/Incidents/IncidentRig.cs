using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Functions.Incidents;
using ServerlessMonitor.Local;
using ServerlessMonitor.Local.Dev;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Incidents;

/// <summary>
/// The local runtime with its region's timers stopped (the region is "down"), so that no cycle
/// decides verdicts: the test is the verdict step, and hands verdicts to incidents through the
/// app's own hand-off (<see cref="IncidentNotices"/>). The orchestration, its activities, the
/// sender and the outbox are the real ones, on the real Durable Task engine. Accounts, channels
/// and monitors are made through the HTTP API.
/// </summary>
public sealed partial class IncidentRig : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private IncidentRig(LocalRuntime runtime)
    {
        Runtime = runtime;
        Http = new HttpClient { BaseAddress = runtime.ApiUrl };
    }

    public LocalRuntime Runtime { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => Runtime.ServicesOf(Runtime.Config.Region);

    public SchedulingClock Clock => Services.GetRequiredService<SchedulingClock>();

    public string Region => Runtime.Config.Region;

    /// <summary>
    /// A runtime whose minute is <paramref name="minuteSeconds"/> long. <paramref name="storage"/>,
    /// <paramref name="taskHub"/> and <paramref name="dataDir"/> let a second runtime take over
    /// what a first one left (same tables, task hub and outbox file).
    /// </summary>
    public static async Task<IncidentRig> StartAsync(double minuteSeconds, string? storage = null, string? taskHub = null, string? dataDir = null, Action<IServiceCollection>? configure = null)
    {
        var hub = taskHub ?? $"inc{Guid.NewGuid():N}"[..20];
        var settings = new Dictionary<string, string?>
        {
            ["SM_MINUTE_SECONDS"] = minuteSeconds.ToString(CultureInfo.InvariantCulture),
            ["SM_STORAGE"] = storage,
            ["SM_DATA_DIR"] = dataDir,
        };
        var options = TestRuntime.Options(hub, settings, withSamples: false) with { ConfigureServices = configure };
        var runtime = await LocalRuntime.StartAsync(options);

        // First thing: no timers, so no cycle decides a verdict of its own.
        runtime.Faults.Set(runtime.Config.Region, RegionState.Down);
        return new IncidentRig(runtime);
    }

    /// <summary>Signs up through the outbox and keeps the account's key for later calls; the account id.</summary>
    public async Task<string> SignUpAsync(string email)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await Http.PostAsJsonAsync("accounts", new { email })).StatusCode);
        var confirmed = await ConfirmAsync(await MessageAsync(m => To(m) == email, $"the confirmation to {email}"));
        UseKey((string)confirmed["apiKey"]!);
        return (string)confirmed["accountId"]!;
    }

    /// <summary>The API key later calls carry.</summary>
    public string? ApiKey { get; private set; }

    public void UseKey(string key)
    {
        ApiKey = key;
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>Adds an email channel and verifies it by its link; the channel id.</summary>
    public async Task<string> AddEmailChannelAsync(string address)
    {
        var added = await Http.PostAsJsonAsync("channels", new { kind = "email", address });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var id = (string)(await added.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var confirmed = await ConfirmAsync(await MessageAsync(m => To(m) == address, $"the confirmation to {address}"));
        Assert.Equal("verified", (string?)confirmed["status"]);
        return id;
    }

    /// <summary>The id of the account's first channel: its sign-up address.</summary>
    public async Task<string> ChannelOfAsync(string address) =>
        (string)(await Http.GetFromJsonAsync<JsonArray>("channels"))!.First(c => (string?)c!["address"] == address)!["id"]!;

    public async Task<string> AddMonitorAsync(object body)
    {
        var created = await Http.PostAsJsonAsync("monitors", body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <summary>Hands a verdict of <paramref name="minute"/> to incidents, as the verdict step does.</summary>
    public Task VerdictAsync(string monitorId, long minute, VerdictOutcome outcome) =>
        new IncidentNotices(Runtime.Durable.Client, Services.GetRequiredService<RecheckStore>(), Clock)
            .HandOffAsync([new MonitorVerdict(monitorId, outcome, [Region], "decided by the test") { Minute = minute }], CancellationToken.None);

    /// <summary>Opens an incident with a failing verdict of the current minute; that minute (M).</summary>
    public async Task<long> OpenAsync(string monitorId)
    {
        var minute = Clock.CurrentMinute;
        await VerdictAsync(monitorId, minute, VerdictOutcome.Fail);
        return minute;
    }

    public async Task<JsonArray> OutboxAsync() => (await Http.GetFromJsonAsync<JsonArray>("dev/outbox"))!;

    /// <summary>Failure alerts ("DOWN") in the outbox to an address, in order.</summary>
    public async Task<List<JsonNode>> DownTo(string address) =>
        [.. (await OutboxAsync()).Where(m => To(m!) == address && Subject(m!).StartsWith("DOWN", StringComparison.Ordinal)).Select(m => m!)];

    public async Task<List<JsonNode>> RecoveredTo(string address) =>
        [.. (await OutboxAsync()).Where(m => To(m!) == address && Subject(m!).StartsWith("RECOVERED", StringComparison.Ordinal)).Select(m => m!)];

    /// <summary>Waits until <paramref name="address"/> has had at least <paramref name="count"/> failure alerts; all of them.</summary>
    public Task<List<JsonNode>> WaitForDownAsync(string address, int count) =>
        Eventually.Get(async () => await DownTo(address) is { } down && down.Count >= count ? down : null, Patience, $"{count} failure alert(s) to {address}");

    public Task<JsonNode> MessageAsync(Func<JsonNode, bool> match, string what) =>
        Eventually.Get(async () => (await OutboxAsync()).FirstOrDefault(m => match(m!)), Patience, what)!;

    public async Task<JsonNode?> IncidentAsync(string monitorId) =>
        (await Http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/incidents"))!.FirstOrDefault();

    public Task<JsonNode> IncidentWhereAsync(string monitorId, Func<JsonNode, bool> holds, string what) =>
        Eventually.Get(async () => await IncidentAsync(monitorId) is { } i && holds(i) ? i : null, Patience, what);

    /// <summary>Waits until the scheduling clock is past the start of <paramref name="minute"/>.</summary>
    public Task MinuteAsync(long minute) =>
        Eventually.True(() => Clock.CurrentMinute >= minute, Patience, $"minute {minute}");

    /// <summary>The stored delivery of an idempotency key, or null.</summary>
    public Task<Delivery?> DeliveryAsync(string key) =>
        Services.GetRequiredService<DeliveryStore>().GetAsync(DeliveryIds.For(key), CancellationToken.None);

    /// <summary>Every delivery row whose key belongs to the incident.</summary>
    public async Task<List<string>> DeliveryKeysOfAsync(string incidentId)
    {
        var table = Services.GetRequiredService<StorageClients>().Table(StorageNames.Deliveries);
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(select: ["IdempotencyKey"]))
        {
            if (row.GetString("IdempotencyKey") is { } key && key.StartsWith($"incident:{incidentId}:", StringComparison.Ordinal))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    public DateTimeOffset StartOf(long minute) => Clock.StartOf(minute);

    public static string To(JsonNode message) => (string?)message["to"] ?? string.Empty;

    public static string Subject(JsonNode message) => (string?)message["subject"] ?? string.Empty;

    public static string Body(JsonNode message) => (string?)message["body"] ?? string.Empty;

    /// <summary>"Alert n of at most 4" of a failure email: n.</summary>
    public static int SequenceOf(JsonNode message) =>
        int.Parse(AlertNumber().Match(Body(message)).Groups[1].Value, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Runtime.DisposeAsync();
    }

    private async Task<JsonObject> ConfirmAsync(JsonNode message)
    {
        var path = ConfirmLink().Match(Body(message)).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } } };
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [GeneratedRegex(@"/api/(confirm/[A-Za-z0-9._-]+)")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"Alert (\d) of at most 4")]
    private static partial Regex AlertNumber();
}
