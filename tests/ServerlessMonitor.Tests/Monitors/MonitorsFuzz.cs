using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>
/// Whatever arrives at POST /api/monitors and PATCH /api/monitors/{id} (malformed JSON, wrong
/// types, huge and unicode strings, wrong content types, random Idempotency-Keys, others' and
/// malformed ids, read-only and foreign keys), the answer is never a 5xx, and a refused request
/// (4xx) changes nothing the owner's monitor list shows. Requests are drawn by FsCheck from a
/// fixed seed, so a run is repeatable; SM_FUZZ_REQUESTS sets how many (300 by default). Monitors
/// a request creates are deleted right after, so the list stays short and keys get spent.
/// </summary>
public sealed class MonitorsFuzz(MonitorsRuntime t, ITestOutputHelper output) : IClassFixture<MonitorsRuntime>
{
    private const ulong Seed = 20261129;

    private static readonly string[] Fields = [.. MonitorInput.Fields, "extra", "__proto__", "Name", "id", "ownerId", "state"];

    [Fact]
    public async Task Monitor_write_routes_never_answer_5xx_and_a_refused_request_changes_nothing()
    {
        var (owner, ownerKey) = await t.NewAccount("monitors-fuzz-owner@example.com");
        var (_, strangerKey) = await t.NewAccount("monitors-fuzz-stranger@example.com");
        var readOnly = await t.ReadOnlyKey(ownerKey);
        var channel = Ids.New(Ids.Channel);
        t.Channels.Grant(owner, channel);
        var victims = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            victims.Add((string)(await t.Api("monitors", body: MonitorsRuntime.Web($"victim {i}"), key: ownerKey)).Json!["id"]!);
        }

        var count = int.TryParse(Environment.GetEnvironmentVariable("SM_FUZZ_REQUESTS"), out var n) ? n : 300;
        var requests = Gen.Sample(Requests(victims, channel, ownerKey, readOnly, strangerKey), count, new Rnd(Seed), 30);
        var before = await Snapshot(ownerKey);
        var statuses = new Dictionary<int, int>();
        foreach (var r in requests)
        {
            var answer = await t.Send(r.ToMessage());
            statuses[(int)answer.Status] = statuses.GetValueOrDefault((int)answer.Status) + 1;
            Assert.True((int)answer.Status < 500, $"{r} → {(int)answer.Status} {answer.Text[..Math.Min(300, answer.Text.Length)]}");
            if ((int)answer.Status >= 400)
            {
                // Kestrel itself refuses a path with an encoded NUL, or a header value it cannot read (control or non-ASCII characters), with an empty 400 before any function runs.
                var refusedByServer = answer.Text.Length == 0 && answer.Status == HttpStatusCode.BadRequest
                    && (r.Path.Contains("%00", StringComparison.Ordinal) || r.IdempotencyKey?.Any(c => c is < ' ' or > '~') == true);
                Assert.True(refusedByServer || answer.ErrorCode is not null, $"{r} → {(int)answer.Status}: no error body");
                Assert.True(before == await Snapshot(ownerKey), $"{r} → {(int)answer.Status} {answer.Text} changed stored state");
            }
            else
            {
                if (answer.Status == HttpStatusCode.Created)
                {
                    // By whoever made it: the stranger's key creates monitors too.
                    using var delete = new HttpRequestMessage(HttpMethod.Delete, $"monitors/{answer.Json!["id"]}");
                    delete.Headers.TryAddWithoutValidation("Authorization", r.Authorization);
                    Assert.Equal(HttpStatusCode.NoContent, (await t.Send(delete)).Status);
                }

                before = await Snapshot(ownerKey);
            }
        }

        output.WriteLine($"{count} requests: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));

        // The draw reaches past validation: creates and changes succeed, and each kind of refusal occurs.
        Assert.Contains(statuses.Keys, s => s is 200 or 201);
        Assert.All(new[] { 400, 401, 403, 404, 415 }, s => Assert.Contains(s, statuses.Keys));
    }

    private async Task<string> Snapshot(string key) => (await t.Api("monitors", key: key)).Text;

    private static Gen<FuzzRequest> Requests(List<string> victims, string channel, string owner, string readOnly, string stranger)
    {
        var garbage = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty),
            Gen.Elements("..", "%00", " ", new string('m', 300), "{id}", "m' or '1'='1", "%2F", "ü", "😀", "M" + new string('a', 20), "m" + new string('a', 19) + "|"));
        var monitorId = Gen.Frequency((6, Gen.Elements(victims.ToArray())), (1, Gen.Constant(Ids.New(Ids.Monitor))), (1, garbage));
        var auth = Gen.Frequency(
            (10, Gen.Constant<string?>($"Bearer {owner}")),
            (2, Gen.Constant<string?>($"Bearer {readOnly}")),
            (2, Gen.Constant<string?>($"Bearer {stranger}")),
            (1, Gen.Constant<string?>(null)),
            (1, Gen.Elements<string?>("Bearer ", "Basic YTpi", $"Bearer {owner[..^1]}{(owner[^1] == 'A' ? 'B' : 'A')}")));

        // Carriage returns, line feeds and NULs cannot be sent in a header at all.
        var idempotencyKey = Gen.Frequency(
            (6, Gen.Constant<string?>(null)),
            (3, Gen.Elements<string?>("k1", "k2", "k3", new string('k', 200))),
            (1, Gen.OneOf(ArbMap.Default.GeneratorFor<string>().Select(s => (string?)new string(s?.Where(c => c is not ('\r' or '\n' or '\0')).ToArray())), Gen.Elements<string?>(string.Empty, new string('k', 201), "with space", "ключ", "tab\tkey"))));
        var route = Gen.OneOf(
            Gen.Constant(new Route("POST", "monitors", () => Valid(channel, create: true))),
            monitorId.Select(id => new Route("PATCH", $"monitors/{Uri.EscapeDataString(id)}", () => Valid(channel, create: false))));
        var contentType = Gen.Frequency(
            (8, Gen.Constant<string?>("application/json")),
            (2, Gen.Elements<string?>(null, "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json", "multipart/form-data; boundary=x", "application/jsonp")));
        return
            from r in route
            from body in Body(r.Valid)
            from a in auth
            from type in contentType
            from key in idempotencyKey
            select new FuzzRequest(r.Method, r.Path, body, a, type, r.Method == "POST" ? key : null);
    }

    /// <summary>A body the route accepts, which the draw then mutates: a small valid patch, or a whole valid monitor.</summary>
    private static JsonObject Valid(string channel, bool create)
    {
        var body = create ? MonitorsRuntime.Web("Fuzz") : new JsonObject { ["name"] = "Patched" };
        body["escalation"] = new JsonArray(new JsonObject { ["afterMinutes"] = 5, ["channels"] = new JsonArray(channel) });
        body["expect"] = new JsonObject { ["status"] = new JsonArray(200), ["keyword"] = "OK" };
        return body;
    }

    private static Gen<byte[]?> Body(Func<JsonObject> valid)
    {
        var odd = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => (JsonNode?)JsonValue.Create(s)),
            ArbMap.Default.GeneratorFor<int>().Select(i => (JsonNode?)JsonValue.Create(i)),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Elements<JsonNode?>(
                null,
                JsonValue.Create(1e308),
                JsonValue.Create(-0.0),
                JsonValue.Create(5.0),
                JsonValue.Create(2.5),
                JsonValue.Create(string.Empty),
                JsonValue.Create(new string('x', 3000)),
                JsonValue.Create("Ünïcødé 名前 😀"),
                JsonValue.Create("a\u0000b"),
                JsonValue.Create("tcp"),
                JsonValue.Create("ssh"),
                JsonValue.Create("dns"),
                JsonValue.Create("https://169.254.169.254/"),
                JsonValue.Create("https://[::1]:8443/x#y"),
                JsonValue.Create("example.com:22"),
                JsonValue.Create("eastus"),
                JsonValue.Create("local"),
                new JsonArray(1, "two"),
                new JsonArray("local", "local"),
                new JsonArray(new JsonObject { ["afterMinutes"] = 1441, ["channels"] = new JsonArray("c") }),
                new JsonObject { ["nested"] = new JsonObject() },
                new JsonObject { ["status"] = new JsonArray(99, 600) },
                new JsonObject { ["server"] = "10.0.0.1" },
                new JsonObject { ["banner"] = "SSH-2.0" },
                new JsonObject()));
        var mutated = Gen.ListOf(Gen.Zip(Gen.Elements(Fields), Gen.OneOf(odd.Select(v => (Remove: false, Value: v)), Gen.Constant((Remove: true, Value: (JsonNode?)null)))), 3)
            .Select(changes =>
            {
                var value = valid();
                foreach (var (field, (remove, v)) in changes)
                {
                    if (remove)
                    {
                        value.Remove(field);
                    }
                    else
                    {
                        value[field] = v?.DeepClone();
                    }
                }

                return (byte[]?)Encoding.UTF8.GetBytes(value.ToJsonString());
            });
        var raw = Gen.Elements<byte[]?>(
            null,
            [],
            "{"u8.ToArray(),
            "[]"u8.ToArray(),
            "null"u8.ToArray(),
            "\"text\""u8.ToArray(),
            """{"name":"\ud800","type":"https","target":"https://example.com/","intervalMinutes":5}"""u8.ToArray(),
            """{"\udfff":1}"""u8.ToArray(),
            """{"name":"a","name":"b","type":"https","target":"https://example.com/","intervalMinutes":5}"""u8.ToArray(),
            [0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d],
            Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)),
            Encoding.UTF8.GetBytes("{\"expect\":" + string.Concat(Enumerable.Repeat("{\"a\":", 60)) + "1" + new string('}', 61)),
            Encoding.UTF8.GetBytes($"{{\"name\":\"{new string('n', 70_000)}\"}}"));
        return Gen.Frequency(
            (6, mutated),
            (1, Gen.Constant(0).Select(_ => (byte[]?)Encoding.UTF8.GetBytes(valid().ToJsonString()))),
            (1, ArbMap.Default.GeneratorFor<string>().Select(s => (byte[]?)Encoding.UTF8.GetBytes(s ?? string.Empty))),
            (2, raw));
    }

    /// <param name="Valid">A body the route accepts, which the draw then mutates.</param>
    private sealed record Route(string Method, string Path, Func<JsonObject> Valid);

    private sealed record FuzzRequest(string Method, string Path, byte[]? Body, string? Authorization, string? ContentType, string? IdempotencyKey)
    {
        public HttpRequestMessage ToMessage()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Path);
            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Body);
                if (ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }
            }

            if (Authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", Authorization);
            }

            if (IdempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation(Core.Monitors.IdempotencyKey.Header, IdempotencyKey);
            }

            return request;
        }

        public override string ToString() =>
            $"{Method} {Path} [{ContentType}] auth={Authorization?[..Math.Min(12, Authorization.Length)]} key={IdempotencyKey} body={(Body is null ? "none" : Encoding.UTF8.GetString(Body[..Math.Min(160, Body.Length)]))}";
    }
}
