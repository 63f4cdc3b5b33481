using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>
/// An in-process local runtime with its own Azurite and a token secret the tests know, and the
/// steps the account tests share: call a route, read the outbox, follow a link, sign up.
/// </summary>
public sealed partial class AccountsRuntime : IAsyncLifetime
{
    public const string TokenSecret = "test-secret-test-secret-test-secret-0123";

    public LocalRuntime Runtime { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"acct{Guid.NewGuid():N}"[..20], new() { ["SM_TOKEN_SECRET"] = TokenSecret }, withSamples: false));
        Http = new HttpClient { BaseAddress = Runtime.ApiUrl };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Runtime.DisposeAsync();
    }

    /// <summary>Sends a request; <paramref name="body"/> is JSON-serialized unless it is a string (sent as is).</summary>
    public async Task<Answer> Api(string path, HttpMethod? method = null, object? body = null, string? key = null, string? accept = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method ?? (body is null ? HttpMethod.Get : HttpMethod.Post), path);
        if (body is not null)
        {
            var text = body as string ?? System.Text.Json.JsonSerializer.Serialize(body);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await Send(request);
    }

    public async Task<Answer> Send(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            json = JsonNode.Parse(text);
        }

        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, text, json, headers);
    }

    public Task<Answer> ConfirmJson(string path) => Api(path, HttpMethod.Post, accept: "application/json");

    public async Task<JsonArray> Outbox() => (JsonArray)(await Api("dev/outbox")).Json!;

    /// <summary>Waits for the n-th (1-based) message to an address.</summary>
    public Task<JsonNode> MessageTo(string to, int n = 1) =>
        Eventually.Get(async () => (await Outbox()).Where(m => (string?)m!["to"] == to).Skip(n - 1).FirstOrDefault(), TimeSpan.FromSeconds(10), $"message {n} to {to}")!;

    /// <summary>The path below /api of the confirmation link in a message: confirm/&lt;token&gt;.</summary>
    public static string ConfirmPath(JsonNode message)
    {
        var m = LinkPattern().Match((string)message["body"]!);
        Assert.True(m.Success, $"no confirmation link in: {message["body"]}");
        return m.Groups[1].Value;
    }

    /// <summary>Signs up and confirms: the account id and its first (read-write) key.</summary>
    public async Task<(string AccountId, string ApiKey)> NewAccount(string email)
    {
        var before = (await Outbox()).Count(m => (string?)m!["to"] == email);
        Assert.Equal(HttpStatusCode.Accepted, (await Api("accounts", body: new { email })).Status);
        var confirmed = await ConfirmJson(ConfirmPath(await MessageTo(email, before + 1)));
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        return ((string)confirmed.Json!["accountId"]!, (string)confirmed.Json!["apiKey"]!);
    }

    public TableClient Table(string name) => new TableServiceClient(Runtime.StorageConnectionString).GetTableClient(name);

    /// <summary>Every row of the account tables, without ETags and timestamps: what a refused request must leave alone.</summary>
    public async Task<string> Snapshot()
    {
        var rows = new List<string>();
        // The cycle's timers write their own tables every minute, whatever a request did.
        foreach (var table in StorageNames.Tables.Except([StorageNames.Results, StorageNames.Rollups, StorageNames.Cycles, StorageNames.Regions, StorageNames.Rechecks]))
        {
            await foreach (var e in Table(table).QueryAsync<TableEntity>())
            {
                rows.Add($"{table} {e.PartitionKey}/{e.RowKey} " + string.Join(";", e.Keys.Where(k => k is not ("odata.etag" or "Timestamp")).Order().Select(k => $"{k}={e[k]}")));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return string.Join("\n", rows) + $"\noutbox: {(await Outbox()).Count}";
    }

    [GeneratedRegex(@"/api/(confirm/[A-Za-z0-9._-]+)")]
    private static partial Regex LinkPattern();

    public sealed record Answer(HttpStatusCode Status, string Text, JsonNode? Json, IReadOnlyDictionary<string, string> Headers)
    {
        public string? ErrorCode => (string?)Json?["error"]?["code"];

        public string? ErrorField => (string?)Json?["error"]?["field"];

        public string? Header(string name) => Headers.GetValueOrDefault(name);
    }
}
