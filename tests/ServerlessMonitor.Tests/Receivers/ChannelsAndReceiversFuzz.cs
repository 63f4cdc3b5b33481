using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Tests.Accounts;

namespace ServerlessMonitor.Tests.Receivers;

/// <summary>
/// Whatever arrives at the channel and receiver write routes (POST/DELETE channels, POST
/// receivers, PUT/DELETE receivers/me, DELETE receivers/&lt;id&gt;) with malformed bodies, wrong
/// types, huge and unicode strings, wrong content types, odd ids and keys, the answer is never a
/// 5xx, and a refused request (4xx) changes nothing: not a row of any table, not a message.
/// Drawn by FsCheck from a fixed seed; SM_FUZZ_REQUESTS sets how many (300 by default).
/// </summary>
public sealed class ChannelsAndReceiversFuzz(ReceiversRuntime r) : IClassFixture<ReceiversRuntime>
{
    private const ulong Seed = 20261130;

    private static readonly string[] Fields = ["kind", "address", "email", "accept", "escalation", "repeatMinutes", "extra", "__proto__"];

    private readonly AccountsRuntime t = r.Runtime;

    [Fact]
    public async Task Channel_and_receiver_writes_never_answer_5xx_and_a_refused_request_changes_nothing()
    {
        var inviteeEmail = $"fuzz-invitee-{Guid.NewGuid():N}@example.com";
        var monitorId = await r.NewMonitor("Fuzzed");
        var (_, strangerKey) = await t.NewAccount($"fuzz-stranger-{Guid.NewGuid():N}@example.com");
        var foreignMonitor = await r.NewMonitor("Not yours", ownerId: Ids.New(Ids.Account));
        await t.Api($"monitors/{monitorId}/receivers", body: new { email = inviteeEmail }, key: r.OwnerKey);
        var (inviteeId, inviteeKey) = await t.NewAccount(inviteeEmail);
        var inviteeChannel = (string)(await t.Api("channels", key: inviteeKey)).Json!.AsArray()[0]!["id"]!;
        var readOnly = (string)(await t.Api("keys", body: new { readOnly = true }, key: r.OwnerKey)).Json!["apiKey"]!;
        var channelIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            channelIds.Add((string)(await t.Api("channels", body: new { kind = "email", address = $"fuzz-victim-{i}@example.com" }, key: r.OwnerKey)).Json!["id"]!);
        }

        var world = new World(r.OwnerKey, inviteeKey, strangerKey, readOnly, monitorId, foreignMonitor, inviteeEmail, inviteeId, inviteeChannel, channelIds);
        var count = int.TryParse(Environment.GetEnvironmentVariable("SM_FUZZ_REQUESTS"), out var n) ? n : 300;
        var requests = Gen.Sample(Requests(world), count, new Rnd(Seed), 30);
        var before = await t.Snapshot();
        var statuses = new Dictionary<int, int>();
        foreach (var request in requests)
        {
            var answer = await t.Send(request.ToMessage());
            statuses[(int)answer.Status] = statuses.GetValueOrDefault((int)answer.Status) + 1;
            Assert.True((int)answer.Status < 500, $"{request} → {(int)answer.Status} {answer.Text[..Math.Min(300, answer.Text.Length)]}");
            var after = await t.Snapshot();
            if ((int)answer.Status >= 400)
            {
                // Kestrel itself refuses a path with an encoded NUL (400) or too long a URI (414), with an empty body, before any function runs.
                var refusedByServer = answer.Text.Length == 0
                    && ((answer.Status == HttpStatusCode.BadRequest && request.Path.Contains("%00", StringComparison.Ordinal)) || answer.Status == HttpStatusCode.RequestUriTooLong);
                Assert.True(refusedByServer || answer.ErrorCode is not null, $"{request} → {(int)answer.Status}: no error body");
                Assert.True(before == after, $"{request} → {(int)answer.Status} changed stored state");
            }

            before = after;
        }

        // The draw reaches past validation: some requests succeed, and each kind of refusal occurs.
        Assert.Contains(statuses.Keys, s => s is >= 200 and < 300);
        Assert.All(new[] { 400, 401, 403, 404, 415 }, s => Assert.Contains(s, statuses.Keys));
    }

    private static Gen<FuzzRequest> Requests(World w)
    {
        var unique = 0;
        var garbage = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty),
            Gen.Elements("..", "%00", " ", "me", new string('a', 300), "{id}", "x' or '1'='1", "%2F", "ü", "😀", "m" + new string('0', 20), "c" + new string('0', 20)));
        var monitor = Gen.Frequency((6, Gen.Constant(w.MonitorId)), (1, Gen.Constant(w.ForeignMonitor)), (1, garbage));
        var channel = Gen.OneOf(Gen.Elements(w.ChannelIds.ToArray()), Gen.Constant(w.InviteeChannel), garbage);
        var receiverRef = Gen.OneOf(Gen.Constant(Ids.Sha256Hex(w.InviteeEmail)), Gen.Constant(w.InviteeId), garbage);
        var key = Gen.Frequency(
            (5, Gen.Constant<string?>($"Bearer {w.OwnerKey}")),
            (4, Gen.Constant<string?>($"Bearer {w.InviteeKey}")),
            (1, Gen.Constant<string?>($"Bearer {w.StrangerKey}")),
            (1, Gen.Constant<string?>($"Bearer {w.ReadOnlyKey}")),
            (1, Gen.Elements<string?>(null, "Bearer ", "Basic YTpi", $"Bearer {w.OwnerKey[..^1]}{(w.OwnerKey[^1] == 'A' ? 'B' : 'A')}")));
        var newChannel = Gen.Elements<Func<JsonObject>>(
            () => new JsonObject { ["kind"] = "email", ["address"] = $"fuzz-{unique++}@example.com" },
            () => new JsonObject { ["kind"] = "sms", ["address"] = $"+1 415 555 {unique++ % 10000:0000}" },
            () => new JsonObject { ["kind"] = "webhook", ["address"] = $"http://127.0.0.1:9/fuzz-{unique++}" });
        var invitee = Gen.Elements<Func<JsonObject>>(
            () => new JsonObject { ["email"] = $"fuzz-invited-{unique++}@example.com" },
            () => new JsonObject { ["email"] = w.InviteeEmail });
        var answer = Gen.Elements<Func<JsonObject>>(
            () => new JsonObject { ["accept"] = true },
            () => new JsonObject { ["accept"] = false, ["repeatMinutes"] = 30 },
            () => new JsonObject
            {
                ["accept"] = true,
                ["escalation"] = new JsonArray(new JsonObject { ["afterMinutes"] = 5, ["channels"] = new JsonArray(w.InviteeChannel) }),
                ["repeatMinutes"] = null,
            });
        var route = Gen.OneOf(
            newChannel.Select(valid => new Route("POST", "channels", valid)),
            channel.Select(id => new Route("DELETE", $"channels/{Uri.EscapeDataString(id)}", null)),
            Gen.Zip(monitor, invitee).Select(x => new Route("POST", $"monitors/{Uri.EscapeDataString(x.Item1)}/receivers", x.Item2)),
            Gen.Zip(monitor, answer).Select(x => new Route("PUT", $"monitors/{Uri.EscapeDataString(x.Item1)}/receivers/me", x.Item2)),
            monitor.Select(m => new Route("DELETE", $"monitors/{Uri.EscapeDataString(m)}/receivers/me", null)),
            Gen.Zip(monitor, receiverRef).Select(x => new Route("DELETE", $"monitors/{Uri.EscapeDataString(x.Item1)}/receivers/{Uri.EscapeDataString(x.Item2)}", null)));
        var contentType = Gen.Frequency(
            (6, Gen.Constant<string?>("application/json")),
            (2, Gen.Elements<string?>(null, "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json", "multipart/form-data; boundary=x", "application/jsonp")));
        var accept = Gen.Elements<string?>(null, "application/json", "text/html", "*/*");
        return
            from rt in route
            from body in FuzzBodies.Body(rt.Valid, Fields, RawBodies)
            from auth in key
            from type in contentType
            from acc in accept
            from method in Gen.Frequency((9, Gen.Constant(rt.Method)), (1, Gen.Elements("POST", "PUT", "PATCH", "DELETE", "GET")))
            select new FuzzRequest(method, rt.Path, body, auth, type, acc);
    }

    /// <summary>Bodies aimed at these routes: paths that go wrong deep inside, and values the readers must not choke on.</summary>
    private static readonly byte[]?[] RawBodies =
    [
        """{"accept":true,"escalation":[{"afterMinutes":0,"channels":["\ud800"]}]}"""u8.ToArray(),
        """{"accept":true,"escalation":[{"\udfff":0}]}"""u8.ToArray(),
        """{"accept":true,"escalation":[{"afterMinutes":1e400,"channels":["caaaaaaaaaaaaaaaaaaaa"]}]}"""u8.ToArray(),
        """{"accept":true,"escalation":[{"afterMinutes":-0,"channels":["caaaaaaaaaaaaaaaaaaaa"]},1,null]}"""u8.ToArray(),
        """{"accept":true,"repeatMinutes":99999999999999999999}"""u8.ToArray(),
        """{"kind":"webhook","address":"http://[::1"}"""u8.ToArray(),
        """{"kind":"webhook","address":"http://169.254.169.254/latest"}"""u8.ToArray(),
        """{"kind":"webhook","address":"javascript:alert(1)"}"""u8.ToArray(),
        """{"kind":"sms","address":"+١٢٣٤٥٦٧٨٩"}"""u8.ToArray(),
        """{"kind":"email","address":"a@b\u0000.com"}"""u8.ToArray(),
        Encoding.UTF8.GetBytes($$"""{"kind":"webhook","address":"http://127.0.0.1/{{new string('p', 3000)}}"}"""),
        Encoding.UTF8.GetBytes($$"""{"accept":true,"escalation":[{{string.Join(',', Enumerable.Repeat("""{"afterMinutes":1,"channels":["caaaaaaaaaaaaaaaaaaaa"]}""", 11))}}]}"""),
    ];

    private sealed record World(
        string OwnerKey,
        string InviteeKey,
        string StrangerKey,
        string ReadOnlyKey,
        string MonitorId,
        string ForeignMonitor,
        string InviteeEmail,
        string InviteeId,
        string InviteeChannel,
        List<string> ChannelIds);

    /// <param name="Valid">A body the route accepts, which the draw then mutates; null for routes without a body.</param>
    private sealed record Route(string Method, string Path, Func<JsonObject>? Valid);
}
