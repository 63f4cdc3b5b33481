using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Uptime;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.Servers;
using Answer = ServerlessMonitor.Tests.Accounts.AccountsRuntime.Answer;

namespace ServerlessMonitor.Tests.StatusPages;

/// <summary>
/// An in-process local runtime whose uptime numbers come from <see cref="SeededUptime"/> (so
/// charts can be counted), with one-second minutes (pages are kept for a minute) and a loopback
/// target for monitors that should be up or down; and the steps the status page tests share.
/// </summary>
public sealed class StatusPagesRuntime : IAsyncLifetime
{
    private int accounts;

    public HttpTestServer Target { get; } = new();

    public LocalRuntime Runtime { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => Runtime.ServicesOf("local");

    public async Task InitializeAsync()
    {
        var options = TestRuntime.Options($"sp{Guid.NewGuid():N}"[..20], new()
        {
            ["SM_TOKEN_SECRET"] = AccountsRuntime.TokenSecret,
            ["SM_MINUTE_SECONDS"] = "1",
            ["SM_CANARY_TARGETS"] = $"127.0.0.1:{Target.Port}",
        }, withSamples: false);
        Runtime = await LocalRuntime.StartAsync(options with { ConfigureServices = s => s.AddSingleton<IUptimeSource>(new SeededUptime()) });
        Http = new HttpClient { BaseAddress = Runtime.ApiUrl };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Runtime.DisposeAsync();
        await Target.DisposeAsync();
    }

    public async Task<Answer> Api(string path, HttpMethod? method = null, object? body = null, string? key = null)
    {
        using var request = new HttpRequestMessage(method ?? (body is null ? HttpMethod.Get : HttpMethod.Post), path);
        if (body is not null)
        {
            var text = body as string ?? (body is JsonNode node ? node.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body));
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        }

        using var response = await Http.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(content) : null;
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, content, json, headers);
    }

    /// <summary>A new confirmed account: its id and read-write key.</summary>
    public async Task<(string AccountId, string Key)> NewAccount()
    {
        var email = $"owner{Interlocked.Increment(ref accounts)}-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        Assert.Equal(HttpStatusCode.Accepted, (await Api("accounts", body: new { email })).Status);
        var message = await Eventually.Get(
            async () => ((JsonArray)(await Api("dev/outbox")).Json!).FirstOrDefault(m => (string?)m!["to"] == email),
            TimeSpan.FromSeconds(20),
            $"confirmation to {email}");
        using var confirm = new HttpRequestMessage(HttpMethod.Post, AccountsRuntime.ConfirmPath(message!));
        confirm.Headers.Accept.ParseAdd("application/json");
        using var confirmed = await Http.SendAsync(confirm);
        var json = JsonNode.Parse(await confirmed.Content.ReadAsStringAsync())!;
        return ((string)json["accountId"]!, (string)json["apiKey"]!);
    }

    /// <summary>
    /// A monitor of the loopback target: <paramref name="path"/> "/" answers 200, "/status/503"
    /// fails. Paused monitors are never probed (their state stays unknown).
    /// </summary>
    public async Task<string> Monitor(string key, string name, bool isPublic = true, string path = "/", bool paused = false)
    {
        var created = await Api("monitors", body: new { name, type = "http", target = $"{Target.Url}{path}", intervalMinutes = 1, timeoutSeconds = 2, @public = isPublic, paused, alertDelayMinutes = 0 }, key: key);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (string)created.Json!["id"]!;
    }
}
