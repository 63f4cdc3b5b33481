using System.Net;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>The double opt-in of sign-up end to end over HTTP, reading messages from the outbox (signup.test.ts).</summary>
public sealed class SignupTests(AccountsRuntime t) : IClassFixture<AccountsRuntime>
{
    [Fact]
    public async Task The_link_shows_a_page_that_changes_nothing_and_its_POST_activates_the_account_and_shows_the_key_once()
    {
        var signup = await t.Api("accounts", body: new { email = "Ada@Example.com", name = "Ada" });
        Assert.Equal(HttpStatusCode.Accepted, signup.Status);
        Assert.Equal("no-store", signup.Header("Cache-Control"));
        var id = (string)signup.Json!["id"]!;
        Assert.True(Ids.Is(id, Ids.Account), id);
        Assert.Equal("pending", (string?)signup.Json["status"]);
        Assert.Equal(2, signup.Json.AsObject().Count);

        var message = await t.MessageTo("ada@example.com");
        Assert.Equal("email", (string?)message["channel"]);
        Assert.Contains("confirm", (string?)message["subject"], StringComparison.OrdinalIgnoreCase);
        var path = AccountsRuntime.ConfirmPath(message);
        Assert.Contains($"{t.Runtime.Config.PublicBase}/api/{path}", (string?)message["body"], StringComparison.Ordinal);
        Assert.Matches(@"^confirm/f[a-z0-9]{20}\.[0-9a-z]{1,9}\.[A-Za-z0-9_-]{22}$", path);

        // A mail scanner fetching the link twice changes nothing.
        var before = await t.Snapshot();
        for (var i = 0; i < 2; i++)
        {
            var page = await t.Api(path);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.StartsWith("text/html", page.Header("Content-Type"), StringComparison.Ordinal);
            Assert.Contains("<form method=\"post\">", page.Text, StringComparison.Ordinal);
            Assert.Contains("ada@example.com", page.Text, StringComparison.Ordinal);
            Assert.Equal("DENY", page.Header("X-Frame-Options"));
            Assert.Contains("default-src 'none'", page.Header("Content-Security-Policy"), StringComparison.Ordinal);
        }

        var preview = await t.Api(path, accept: "application/json");
        Assert.Equal("account", (string?)preview.Json!["kind"]);
        Assert.Equal(before, await t.Snapshot());

        var confirmed = await t.ConfirmJson(path);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Equal("account", (string?)confirmed.Json!["kind"]);
        Assert.Equal(id, (string?)confirmed.Json["accountId"]);
        var key = (string)confirmed.Json["apiKey"]!;
        Assert.Matches($"^sm_{id}_k[a-z0-9]{{20}}_[A-Za-z0-9_-]{{43}}$", key);

        // The key works; the sign-up address is the first verified email channel.
        var keys = await t.Api("keys", key: key);
        Assert.Equal(HttpStatusCode.OK, keys.Status);
        Assert.Equal("first key", (string?)keys.Json![0]!["label"]);
        var channel = Assert.Single(await ChannelRows(id));
        Assert.Equal("ada@example.com", channel["Address"]);
        Assert.Equal("verified", channel["Status"]);

        // Used: 410 as JSON and as a page, and nothing new is issued.
        var again = await t.ConfirmJson(path);
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Equal("gone", again.ErrorCode);
        var againPage = await t.Api(path, HttpMethod.Post);
        Assert.Equal(HttpStatusCode.Gone, againPage.Status);
        Assert.StartsWith("text/html", againPage.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await t.Api(path)).Status);
        Assert.Single((await t.Api("keys", key: key)).Json!.AsArray());
    }

    [Fact]
    public async Task A_browser_gets_the_key_on_a_page()
    {
        await t.Api("accounts", body: new { email = "page@example.com" });
        var path = AccountsRuntime.ConfirmPath(await t.MessageTo("page@example.com"));

        var page = await t.Api(path, HttpMethod.Post, accept: "text/html,application/xhtml+xml,application/json;q=0.9");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Matches(@"<code>sm_a[a-z0-9]{20}_k[a-z0-9]{20}_[A-Za-z0-9_-]{43}</code>", page.Text);
        Assert.Equal("no-store", page.Header("Cache-Control"));
    }

    [Fact]
    public async Task Altered_tokens_are_410_and_use_nothing_up()
    {
        await t.Api("accounts", body: new { email = "tamper@example.com" });
        var path = AccountsRuntime.ConfirmPath(await t.MessageTo("tamper@example.com"));
        var token = path["confirm/".Length..];
        var parts = token.Split('.');
        var (id, expiry, signature) = (parts[0], parts[1], parts[2]);
        static string Flip(string s, int i) => s[..i] + (s[i] == 'a' ? 'b' : 'a') + s[(i + 1)..];
        string[] altered =
        [
            $"{Flip(id, 5)}.{expiry}.{signature}",
            $"{id}.{ToBase36(FromBase36(expiry) + 86_400)}.{signature}",
            $"{id}.{expiry}.{Flip(signature, signature.Length - 1)}",
            $"{id}.{expiry}.{Flip(signature, 0)}",
            $"{id}.{expiry}",
            "not-a-token",
            $"{token}x",
            new ConfirmationTokens("another-secret-another-secret-another-1").Sign(id, DateTimeOffset.UtcNow.AddHours(1)),
        ];
        var before = await t.Snapshot();
        foreach (var bad in altered)
        {
            var json = await t.ConfirmJson($"confirm/{Uri.EscapeDataString(bad)}");
            Assert.True(json.Status == HttpStatusCode.Gone, bad);
            Assert.Equal("gone", json.ErrorCode);
            Assert.Equal(HttpStatusCode.Gone, (await t.Api($"confirm/{Uri.EscapeDataString(bad)}")).Status);
        }

        Assert.Equal(before, await t.Snapshot());
        Assert.Equal(HttpStatusCode.OK, (await t.ConfirmJson(path)).Status);
    }

    [Fact]
    public async Task A_token_past_its_expiry_is_410_even_with_a_valid_signature()
    {
        await t.Api("accounts", body: new { email = "late@example.com" });
        var id = AccountsRuntime.ConfirmPath(await t.MessageTo("late@example.com"))["confirm/f".Length..].Split('.')[0];
        var expired = new ConfirmationTokens(AccountsRuntime.TokenSecret).Sign("f" + id, DateTimeOffset.UtcNow.AddSeconds(-1));

        Assert.Equal(HttpStatusCode.Gone, (await t.Api($"confirm/{expired}")).Status);
        Assert.Equal(HttpStatusCode.Gone, (await t.ConfirmJson($"confirm/{expired}")).Status);
    }

    [Fact]
    public async Task Of_racing_confirmations_exactly_one_wins()
    {
        await t.Api("accounts", body: new { email = "race@example.com" });
        var path = AccountsRuntime.ConfirmPath(await t.MessageTo("race@example.com"));

        var answers = await Task.WhenAll(t.ConfirmJson(path), t.ConfirmJson(path), t.ConfirmJson(path));

        Assert.Equal([200, 410, 410], answers.Select(a => (int)a.Status).Order());
    }

    [Fact]
    public async Task Sign_up_never_reveals_whether_an_address_has_an_account_and_mails_its_owner_a_lost_key_link()
    {
        var (accountId, apiKey) = await t.NewAccount("known@example.com");

        var known = await t.Api("accounts", body: new { email = "known@example.com" });
        var unknown = await t.Api("accounts", body: new { email = "unknown@example.com" });

        Assert.Equal(unknown.Status, known.Status);
        Assert.Equal(unknown.Json!.AsObject().Select(p => p.Key), known.Json!.AsObject().Select(p => p.Key));
        Assert.Equal("pending", (string?)known.Json["status"]);
        Assert.Equal(accountId, (string?)known.Json["id"]);

        var notice = await t.MessageTo("known@example.com", 2);
        Assert.Contains("already has an account", (string?)notice["body"], StringComparison.Ordinal);
        var recovered = await t.ConfirmJson(AccountsRuntime.ConfirmPath(notice));
        Assert.Equal(HttpStatusCode.OK, recovered.Status);
        Assert.Equal(accountId, (string?)recovered.Json!["accountId"]);
        Assert.NotEqual(apiKey, (string?)recovered.Json["apiKey"]);
        Assert.Equal(2, (await t.Api("keys", key: apiKey)).Json!.AsArray().Count);
        Assert.Equal(HttpStatusCode.OK, (await t.Api("keys", key: (string)recovered.Json["apiKey"]!)).Status);
    }

    [Fact]
    public async Task An_unconfirmed_address_gets_a_new_link_each_time_then_is_rate_limited_with_nothing_sent()
    {
        const string email = "again@example.com";
        var answers = new List<AccountsRuntime.Answer>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await t.Api("accounts", body: new { email }));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.Single(answers.Select(a => (string?)a.Json!["id"]).Distinct());
        await t.MessageTo(email, 3);

        var before = await t.Snapshot();
        var limited = await t.Api("accounts", body: new { email = " AGAIN@example.com " });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("rate_limited", limited.ErrorCode);
        Assert.Equal("email", limited.ErrorField);
        Assert.InRange(int.Parse(limited.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.Equal(before, await t.Snapshot());

        // Each link works on its own until one is used; then the account is no longer pending.
        var first = AccountsRuntime.ConfirmPath(await t.MessageTo(email, 1));
        var third = AccountsRuntime.ConfirmPath(await t.MessageTo(email, 3));
        Assert.Equal(HttpStatusCode.OK, (await t.ConfirmJson(third)).Status);
        Assert.Equal(HttpStatusCode.Gone, (await t.ConfirmJson(first)).Status);
    }

    [Theory]
    [InlineData("{}", "validation", "email")]
    [InlineData("{\"email\":\"not-an-address\"}", "validation", "email")]
    [InlineData("{\"email\":5}", "validation", "email")]
    [InlineData("{\"email\":\"a@example.com\",\"extra\":1,\"more\":2}", "validation", null)]
    [InlineData("{\"email\":\"a@example.com\",\"name\":\"\"}", "validation", "name")]
    [InlineData("{\"email\":\"a@example.com\",\"name\":\"line\\nbreak\"}", "validation", "name")]
    [InlineData("{\"email\":\"a@example.com\",\"name\":\"\\ud800\"}", "validation", "name")]
    [InlineData("[]", "validation", null)]
    [InlineData("{", "invalid_json", null)]
    [InlineData("", "invalid_json", null)]
    public async Task Bad_sign_ups_are_400_with_the_api_error_shape(string body, string code, string? field)
    {
        var answer = await t.Api("accounts", body: body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(code, answer.ErrorCode);
        Assert.Equal(field, answer.ErrorField);
    }

    [Fact]
    public async Task Unknown_fields_are_named_and_other_media_types_and_huge_bodies_are_refused()
    {
        var unknown = await t.Api("accounts", body: "{\"email\":\"a@example.com\",\"b\":1,\"a\":2}");
        Assert.Equal("unknown fields: b, a", (string?)unknown.Json!["error"]!["message"]);

        var form = await t.Api("accounts", body: "email=x", contentType: "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.Status);
        Assert.Equal("unsupported_media_type", form.ErrorCode);

        var huge = await t.Api("accounts", body: $"{{\"email\":\"a@example.com\",\"name\":\"{new string('x', 70_000)}\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal("payload_too_large", huge.ErrorCode);

        var problemJson = await t.Api("accounts", body: "{\"email\":\"pj@example.com\"}", contentType: "application/problem+json");
        Assert.Equal(HttpStatusCode.Accepted, problemJson.Status);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_account_routes_with_their_bodies_and_key_auth()
    {
        var doc = (await t.Api("openapi.json")).Json!;
        var paths = doc["paths"]!;

        Assert.Equal("#/components/schemas/SignupRequest", (string?)paths["/accounts"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.NotNull(paths["/accounts"]!["post"]!["responses"]!["429"]);
        Assert.NotNull(paths["/confirm/{token}"]!["get"]!["responses"]!["410"]);
        Assert.NotNull(paths["/confirm/{token}"]!["post"]!["responses"]!["410"]);
        Assert.Equal("array", (string?)paths["/keys"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["type"]);
        Assert.Null(paths["/keys"]!["get"]!["requestBody"]);
        Assert.NotNull(paths["/keys"]!["post"]!["security"]![0]!["apiKey"]);
        Assert.NotNull(paths["/keys/{id}"]!["delete"]!["responses"]!["401"]);
        var signup = doc["components"]!["schemas"]!["SignupRequest"]!["properties"]!.AsObject();
        Assert.Equal(["email", "name"], signup.Select(p => p.Key));
    }

    private async Task<List<Azure.Data.Tables.TableEntity>> ChannelRows(string accountId)
    {
        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var e in t.Table("accounts").QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == accountId))
        {
            if (e.RowKey.StartsWith("channel|", StringComparison.Ordinal))
            {
                rows.Add(e);
            }
        }

        return rows;
    }

    private static long FromBase36(string text) => text.Aggregate(0L, (n, c) => (n * 36) + (c <= '9' ? c - '0' : c - 'a' + 10));

    private static string ToBase36(long value)
    {
        var text = string.Empty;
        do
        {
            text = "0123456789abcdefghijklmnopqrstuvwxyz"[(int)(value % 36)] + text;
            value /= 36;
        }
        while (value > 0);
        return text;
    }
}
