using System.Net;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>
/// Whatever arrives at the account write routes (malformed bodies, wrong types, huge and unicode
/// strings, invalid UTF-8, wrong content types, odd keys and tokens), the answer is never a 5xx,
/// and a refused request (4xx) changes nothing: not a row of the account tables, not a message.
/// Requests are drawn by FsCheck from a fixed seed, so a run is repeatable; SM_FUZZ_REQUESTS
/// sets how many (300 by default).
/// </summary>
public sealed class AccountsFuzz(AccountsRuntime t) : IClassFixture<AccountsRuntime>
{
    private const ulong Seed = 20261129;

    private static readonly string[] Fields = ["email", "name", "readOnly", "label", "extra", "kind", "__proto__"];

    [Fact]
    public async Task Write_routes_never_answer_5xx_and_a_refused_request_changes_nothing()
    {
        var (_, owner) = await t.NewAccount("fuzz-owner@example.com");
        var readOnly = (string)(await t.Api("keys", body: new { readOnly = true }, key: owner)).Json!["apiKey"]!;
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var email = $"fuzz-pending-{i}@example.com";
            await t.Api("accounts", body: new { email });
            tokens.Add(AccountsRuntime.ConfirmPath(await t.MessageTo(email))["confirm/".Length..]);
        }

        var keyIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            keyIds.Add((string)(await t.Api("keys", body: new { readOnly = true, label = "victim" }, key: owner)).Json!["id"]!);
        }

        var count = int.TryParse(Environment.GetEnvironmentVariable("SM_FUZZ_REQUESTS"), out var n) ? n : 300;
        var requests = Gen.Sample(Requests(tokens, keyIds, owner, readOnly), count, new Rnd(Seed), 30);
        var before = await t.Snapshot();
        var statuses = new Dictionary<int, int>();
        foreach (var r in requests)
        {
            var answer = await t.Send(r.ToMessage());
            statuses[(int)answer.Status] = statuses.GetValueOrDefault((int)answer.Status) + 1;
            Assert.True((int)answer.Status < 500, $"{r} → {(int)answer.Status} {answer.Text[..Math.Min(300, answer.Text.Length)]}");
            var after = await t.Snapshot();
            if ((int)answer.Status >= 400)
            {
                // Kestrel itself refuses a path with an encoded NUL (400) or too long a URI (414), with an empty body, before any function runs.
                var refusedByServer = answer.Text.Length == 0
                    && ((answer.Status == HttpStatusCode.BadRequest && r.Path.Contains("%00", StringComparison.Ordinal)) || answer.Status == HttpStatusCode.RequestUriTooLong);
                Assert.True(refusedByServer || answer.ErrorCode is not null || answer.Header("Content-Type")?.StartsWith("text/html", StringComparison.Ordinal) == true, $"{r} → {(int)answer.Status}: no error body");
                Assert.True(before == after, $"{r} → {(int)answer.Status} changed stored state");
            }

            before = after;
        }

        // The draw reaches past validation: some requests succeed, and each kind of refusal occurs.
        Assert.Contains(statuses.Keys, s => s is >= 200 and < 300);
        Assert.All(new[] { 400, 401, 403, 404, 410, 415 }, s => Assert.Contains(s, statuses.Keys));
    }

    private static Gen<FuzzRequest> Requests(List<string> tokens, List<string> keyIds, string owner, string readOnly)
    {
        var unique = 0;
        var garbage = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty),
            Gen.Elements("..", "%00", " ", new string('a', 300), "{id}", "x' or '1'='1", "%2F", "ü", "😀"));
        var token = Gen.OneOf(
            Gen.Elements(tokens.ToArray()),
            Gen.Elements(tokens.ToArray()).SelectMany(tk => Gen.Choose(0, tk.Length - 1).Select(i => tk[..i] + (tk[i] == 'a' ? 'b' : 'a') + tk[(i + 1)..])),
            garbage);
        var keyId = Gen.OneOf(Gen.Elements(keyIds.ToArray()), Gen.Constant("k" + new string('b', 20)), garbage);
        var auth = Gen.Frequency(
            (8, Gen.Constant<string?>($"Bearer {owner}")),
            (2, Gen.Constant<string?>($"Bearer {readOnly}")),
            (1, Gen.Constant<string?>(null)),
            (1, Gen.Constant<string?>($"Bearer {owner[..^1]}{(owner[^1] == 'A' ? 'B' : 'A')}")),
            (1, Gen.Elements<string?>("Bearer ", "Basic YTpi", $"Bearer {owner} {owner}")));
        var route = Gen.OneOf(
            Gen.Constant(new Route("POST", "accounts", () => new JsonObject { ["email"] = $"fuzz-{unique++}@example.com", ["name"] = "Fuzz" })),
            token.Select(tk => new Route("POST", $"confirm/{Uri.EscapeDataString(tk)}", null)),
            Gen.Constant(new Route("POST", "keys", () => new JsonObject { ["readOnly"] = true, ["label"] = "fuzz" })),
            keyId.Select(id => new Route("DELETE", $"keys/{Uri.EscapeDataString(id)}", null)));
        var contentType = Gen.Frequency(
            (6, Gen.Constant<string?>("application/json")),
            (2, Gen.Elements<string?>(null, "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "application/problem+json", "multipart/form-data; boundary=x", "application/jsonp")));
        var accept = Gen.Elements<string?>(null, "application/json", "text/html", "*/*");
        return
            from r in route
            from body in FuzzBodies.Body(r.Valid, Fields)
            from a in auth
            from type in contentType
            from acc in accept
            from method in Gen.Frequency((9, Gen.Constant(r.Method)), (1, Gen.Elements("POST", "PUT", "PATCH", "DELETE", "GET")))
            select new FuzzRequest(method, r.Path, body, a, type, acc);
    }

    /// <param name="Valid">A body the route accepts, which the draw then mutates; null for routes without a body.</param>
    private sealed record Route(string Method, string Path, Func<JsonObject>? Valid);
}
