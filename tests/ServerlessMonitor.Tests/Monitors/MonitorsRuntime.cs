using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;
using Answer = ServerlessMonitor.Tests.Accounts.AccountsRuntime.Answer;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>
/// An in-process local runtime with its own Azurite, whose channel ownership the tests decide
/// (<see cref="Channels"/>: the channels store does not answer <see cref="IOwnChannels"/> yet),
/// and the steps the monitor tests share.
/// </summary>
public sealed class MonitorsRuntime : IAsyncLifetime
{
    public FakeOwnChannels Channels { get; } = new();

    public LocalRuntime Runtime { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = TestRuntime.Options($"mon{Guid.NewGuid():N}"[..20], new() { ["SM_TOKEN_SECRET"] = AccountsRuntime.TokenSecret }, withSamples: false);
        Runtime = await LocalRuntime.StartAsync(options with { ConfigureServices = s => s.AddSingleton<IOwnChannels>(Channels) });

        // UTF-8 headers, so that the fuzz can send any Idempotency-Key and see what the server makes of it.
        Http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = Runtime.ApiUrl };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Runtime.DisposeAsync();
    }

    /// <summary>Sends a request; <paramref name="body"/> is JSON-serialized unless it is a string (sent as is).</summary>
    public async Task<Answer> Api(string path, HttpMethod? method = null, object? body = null, string? key = null, string? idempotencyKey = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method ?? (body is null ? HttpMethod.Get : HttpMethod.Post), path);
        if (body is not null)
        {
            var text = body as string ?? (body is JsonNode node ? node.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body));
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKey.Header, idempotencyKey);
        }

        return await Send(request);
    }

    public async Task<Answer> Send(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(text) : null;
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, text, json, headers);
    }

    /// <summary>Signs up and confirms through the outbox: the account id and its first (read-write) key.</summary>
    public async Task<(string AccountId, string ApiKey)> NewAccount(string email)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await Api("accounts", body: new { email })).Status);
        var message = await Eventually.Get(
            async () => ((JsonArray)(await Api("dev/outbox")).Json!).FirstOrDefault(m => (string?)m!["to"] == email),
            TimeSpan.FromSeconds(10),
            $"confirmation to {email}");
        using var confirm = new HttpRequestMessage(HttpMethod.Post, AccountsRuntime.ConfirmPath(message!));
        confirm.Headers.Accept.ParseAdd("application/json");
        var confirmed = await Send(confirm);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        return ((string)confirmed.Json!["accountId"]!, (string)confirmed.Json!["apiKey"]!);
    }

    public async Task<string> ReadOnlyKey(string key) =>
        (string)(await Api("keys", body: new { readOnly = true }, key: key)).Json!["apiKey"]!;

    /// <summary>A valid create body; the tests change what they are about.</summary>
    public static JsonObject Web(string name = "Web") =>
        new() { ["name"] = name, ["type"] = "https", ["target"] = "https://example.com/", ["intervalMinutes"] = 5 };
}
