using System.Net;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>API keys: shown once, stored hashed, read-write and read-only; 401 and 403 as API.md says (keys.test.ts).</summary>
public sealed class KeysTests(AccountsRuntime t) : IClassFixture<AccountsRuntime>, IAsyncLifetime
{
    private string apiKey = null!;

    public async Task InitializeAsync() => (_, apiKey) = await t.NewAccount($"keys-{Guid.NewGuid():N}@example.com");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Keys_are_shown_once_and_stored_only_as_hashes()
    {
        var rw = await t.Api("keys", body: new { readOnly = false, label = " deploy " }, key: apiKey);

        Assert.Equal(HttpStatusCode.Created, rw.Status);
        var id = (string)rw.Json!["id"]!;
        Assert.Matches("^k[a-z0-9]{20}$", id);
        Assert.False((bool)rw.Json["readOnly"]!);
        Assert.Equal("deploy", (string?)rw.Json["label"]);
        var key = (string)rw.Json["apiKey"]!;
        Assert.Contains(id, key, StringComparison.Ordinal);
        var secret = key.Split('_', 4)[3]; // sm_<account>_<key id>_<secret>: the secret's base64url may hold '_' itself

        var list = await t.Api("keys", key: key);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(["first key", "deploy"], list.Json!.AsArray().Select(k => (string?)k!["label"]));
        Assert.DoesNotContain(secret, list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await t.Snapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_malformed_or_unknown_key_is_401_with_www_authenticate()
    {
        var wrongSecret = apiKey[..^4] + (apiKey.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var otherAccount = $"sm_a{new string('z', 20)}" + apiKey[("sm_".Length + 21)..];
        string?[] authorizations = [null, "Basic abc", "Bearer", "Bearer ", $"Bearer {apiKey} extra", "Bearer nonsense", $"Bearer {wrongSecret}", $"Bearer {otherAccount}", $"Bearer {apiKey.ToUpperInvariant()}"];
        foreach (var authorization in authorizations)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "keys");
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            var answer = await t.Send(request);
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, authorization);
            Assert.Equal("unauthenticated", answer.ErrorCode);
            Assert.Equal("Bearer", answer.Header("WWW-Authenticate"));
        }

        using var lowerCase = new HttpRequestMessage(HttpMethod.Get, "keys");
        lowerCase.Headers.TryAddWithoutValidation("Authorization", $"bearer   {apiKey}  ");
        Assert.Equal(HttpStatusCode.OK, (await t.Send(lowerCase)).Status);
    }

    [Fact]
    public async Task A_read_only_key_reads_and_every_write_is_403_before_the_body_or_the_id_is_looked_at()
    {
        var ro = await t.Api("keys", body: new { readOnly = true }, key: apiKey);
        Assert.Equal(HttpStatusCode.Created, ro.Status);
        var key = (string)ro.Json!["apiKey"]!;
        var id = (string)ro.Json["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await t.Api("keys", key: key)).Status);

        var before = await t.Snapshot();
        (string Path, HttpMethod Method, object? Body)[] writes =
        [
            ("keys", HttpMethod.Post, new { readOnly = false }),
            ("keys", HttpMethod.Post, "{not json"),
            ("keys", HttpMethod.Post, null),
            ($"keys/{id}", HttpMethod.Delete, null),
            ("keys/not-an-id", HttpMethod.Delete, null),
        ];
        foreach (var (path, method, body) in writes)
        {
            var answer = await t.Api(path, method, body, key: key);
            Assert.True(answer.Status == HttpStatusCode.Forbidden, $"{method} {path}");
            Assert.Equal("forbidden", answer.ErrorCode);
        }

        Assert.Equal(before, await t.Snapshot());
        Assert.Equal(HttpStatusCode.OK, (await t.Api("keys", key: key)).Status);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once_and_a_second_delete_is_404()
    {
        var extra = await t.Api("keys", body: new { readOnly = false }, key: apiKey);
        var (id, key) = ((string)extra.Json!["id"]!, (string)extra.Json["apiKey"]!);
        Assert.Equal(HttpStatusCode.OK, (await t.Api("keys", key: key)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"keys/{id}", HttpMethod.Delete, key: apiKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await t.Api("keys", key: key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"keys/{id}", HttpMethod.Delete, key: apiKey)).Status);
        Assert.Equal("not_found", (await t.Api("keys/not-an-id", HttpMethod.Delete, key: apiKey)).ErrorCode);

        // An id that is not even checked before the caller is known.
        Assert.Equal(HttpStatusCode.Unauthorized, (await t.Api("keys/not-an-id", HttpMethod.Delete)).Status);
    }

    [Fact]
    public async Task A_key_may_revoke_itself()
    {
        var own = (string)(await t.Api("keys", body: new { readOnly = false }, key: apiKey)).Json!["apiKey"]!;
        var id = own.Split('_')[2];

        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"keys/{id}", HttpMethod.Delete, key: own)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await t.Api("keys", key: own)).Status);
    }

    [Fact]
    public async Task Another_accounts_keys_cannot_be_touched()
    {
        var (_, otherKey) = await t.NewAccount($"other-{Guid.NewGuid():N}@example.com");
        var theirs = await t.Api("keys", body: new { readOnly = true }, key: otherKey);

        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"keys/{theirs.Json!["id"]}", HttpMethod.Delete, key: apiKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await t.Api("keys", key: (string)theirs.Json["apiKey"]!)).Status);
    }

    [Fact]
    public async Task An_account_has_at_most_50_keys()
    {
        for (var i = 1; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await t.Api("keys", body: new { readOnly = true }, key: apiKey)).Status);
        }

        var before = await t.Snapshot();
        var refused = await t.Api("keys", body: new { readOnly = true }, key: apiKey);

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("too_many_keys", refused.ErrorCode);
        Assert.Equal(before, await t.Snapshot());
        Assert.Equal(50, (await t.Api("keys", key: apiKey)).Json!.AsArray().Count);
    }

    [Theory]
    [InlineData("{}", "readOnly")]
    [InlineData("{\"readOnly\":\"yes\"}", "readOnly")]
    [InlineData("{\"readOnly\":null}", "readOnly")]
    [InlineData("{\"readOnly\":true,\"label\":\"\"}", "label")]
    [InlineData("{\"readOnly\":true,\"label\":7}", "label")]
    [InlineData("{\"readOnly\":true,\"scope\":\"all\"}", null)]
    public async Task Key_requests_are_validated(string body, string? field)
    {
        var answer = await t.Api("keys", body: body, key: apiKey);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("validation", answer.ErrorCode);
        Assert.Equal(field, answer.ErrorField);
    }
}
