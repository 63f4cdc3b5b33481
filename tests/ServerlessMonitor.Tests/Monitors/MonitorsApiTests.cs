using System.Net;
using System.Text.Json.Nodes;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>The monitor routes on the local runtime, route by route (shared/API.md "Monitors", BEHAVIOUR.md).</summary>
public sealed class MonitorsApiTests(MonitorsRuntime t) : IClassFixture<MonitorsRuntime>
{
    [Fact]
    public async Task A_monitor_is_created_listed_read_changed_and_deleted()
    {
        var (owner, key) = await t.NewAccount($"crud-{Guid.NewGuid():N}@example.com");
        var channel = Ids.New(Ids.Channel);
        t.Channels.Grant(owner, channel);
        var body = MonitorsRuntime.Web();
        body["target"] = "https://EXAMPLE.com#top";
        body["escalation"] = new JsonArray(new JsonObject { ["afterMinutes"] = 10, ["channels"] = new JsonArray(channel, channel) });

        var created = await t.Api("monitors", body: body, key: key);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("no-store", created.Header("Cache-Control"));
        var m = created.Json!;
        var id = (string)m["id"]!;
        Assert.True(Ids.Is(id, Ids.Monitor));
        Assert.Equal("https://example.com/", (string?)m["target"]);
        Assert.Equal((10, 2, 15, 1), ((int)m["timeoutSeconds"]!, (int)m["alertDelayMinutes"]!, (int)m["repeatMinutes"]!, (int)m["recoveryPasses"]!));
        Assert.Equal("""[{"afterMinutes":10,"channels":["__"]}]""".Replace("__", channel, StringComparison.Ordinal), m["escalation"]!.ToJsonString());
        Assert.Equal(("unknown", "owner", owner), ((string?)m["state"], (string?)m["access"], (string?)m["ownerId"]));
        Assert.Equal(("{}", false, false), (m["expect"]!.ToJsonString(), (bool)m["public"]!, (bool)m["paused"]!));
        Assert.True(m.AsObject().ContainsKey("regions"));
        Assert.Null(m["regions"]);
        Assert.EndsWith("Z", (string)m["createdAt"]!, StringComparison.Ordinal);

        var listed = await t.Api("monitors", key: key);
        Assert.Equal([id], listed.Json!.AsArray().Select(x => (string)x!["id"]!));
        Assert.Equal(m.ToJsonString(), (await t.Api($"monitors/{id}", key: key)).Json!.ToJsonString());

        var patched = await t.Api($"monitors/{id}", HttpMethod.Patch, new JsonObject { ["type"] = "ssh", ["target"] = "Example.com:2222", ["regions"] = new JsonArray("local"), ["paused"] = true }, key);
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(("ssh", "example.com:2222", true), ((string?)patched.Json!["type"], (string?)patched.Json!["target"], (bool)patched.Json!["paused"]!));
        Assert.Equal("""["local"]""", patched.Json!["regions"]!.ToJsonString());
        var reset = await t.Api($"monitors/{id}", HttpMethod.Patch, new JsonObject { ["regions"] = null, ["escalation"] = null }, key);
        Assert.Null(reset.Json!["regions"]);
        Assert.Null(reset.Json!["escalation"]);

        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"monitors/{id}", HttpMethod.Delete, key: key)).Status);
        Assert.Equal("not_found", (await t.Api($"monitors/{id}", key: key)).ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{id}", HttpMethod.Delete, key: key)).Status);
        Assert.Empty((await t.Api("monitors", key: key)).Json!.AsArray());
    }

    [Fact]
    public async Task Only_the_owner_writes_receivers_read_and_strangers_see_nothing_but_public_monitors()
    {
        var (_, ownerKey) = await t.NewAccount($"owner-{Guid.NewGuid():N}@example.com");
        var (receiverId, receiverKey) = await t.NewAccount($"receiver-{Guid.NewGuid():N}@example.com");
        var (_, strangerKey) = await t.NewAccount($"stranger-{Guid.NewGuid():N}@example.com");
        var id = (string)(await t.Api("monitors", body: MonitorsRuntime.Web("Private"), key: ownerKey)).Json!["id"]!;
        var now = DateTimeOffset.UtcNow;
        var store = new MonitorStore(new StorageClients(t.Runtime.Config));
        await store.CreateReceiverAsync(new Receiver(id, Ids.Sha256Hex("r@example.com"), "r@example.com", ReceiverStatus.Accepted, receiverId, null, null, now, now, []), default);

        var asReceiver = await t.Api($"monitors/{id}", key: receiverKey);
        Assert.Equal("receiver", (string?)asReceiver.Json!["access"]);
        Assert.Equal([id], (await t.Api("monitors", key: receiverKey)).Json!.AsArray().Select(x => (string)x!["id"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{id}", key: strangerKey)).Status);
        Assert.Empty((await t.Api("monitors", key: strangerKey)).Json!.AsArray());

        // Decided before the body is read: a broken body still gets 403 or 404, never a 400 that tells about the monitor.
        Assert.Equal(HttpStatusCode.Forbidden, (await t.Api($"monitors/{id}", HttpMethod.Patch, "{broken", receiverKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{id}", HttpMethod.Patch, "{broken", strangerKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await t.Api($"monitors/{id}", HttpMethod.Delete, key: receiverKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{id}", HttpMethod.Delete, key: strangerKey)).Status);

        await t.Api($"monitors/{id}", HttpMethod.Patch, new JsonObject { ["public"] = true }, ownerKey);
        Assert.Equal("public", (string?)(await t.Api($"monitors/{id}", key: strangerKey)).Json!["access"]);
        Assert.Empty((await t.Api("monitors", key: strangerKey)).Json!.AsArray());
        Assert.Equal("forbidden", (await t.Api($"monitors/{id}", HttpMethod.Patch, new JsonObject { ["name"] = "Mine" }, strangerKey)).ErrorCode);
        Assert.Equal("Private", (string?)(await t.Api($"monitors/{id}", key: ownerKey)).Json!["name"]);
    }

    [Fact]
    public async Task A_read_only_key_reads_and_gets_403_on_every_write_before_the_body_is_read()
    {
        var (_, key) = await t.NewAccount($"ro-{Guid.NewGuid():N}@example.com");
        var readOnly = await t.ReadOnlyKey(key);
        var id = (string)(await t.Api("monitors", body: MonitorsRuntime.Web(), key: key)).Json!["id"]!;

        Assert.Equal(HttpStatusCode.OK, (await t.Api($"monitors/{id}", key: readOnly)).Status);
        Assert.Single((await t.Api("monitors", key: readOnly)).Json!.AsArray());
        Assert.Equal("forbidden", (await t.Api("monitors", body: "{broken", key: readOnly)).ErrorCode);
        Assert.Equal("forbidden", (await t.Api("monitors", body: MonitorsRuntime.Web(), key: readOnly, idempotencyKey: "bad key")).ErrorCode);
        Assert.Equal("forbidden", (await t.Api($"monitors/{id}", HttpMethod.Patch, "{broken", readOnly)).ErrorCode);
        Assert.Equal("forbidden", (await t.Api($"monitors/{id}", HttpMethod.Delete, key: readOnly)).ErrorCode);
        Assert.Equal("forbidden", (await t.Api("monitors/not-an-id", HttpMethod.Delete, key: readOnly)).ErrorCode);
        Assert.Single((await t.Api("monitors", key: key)).Json!.AsArray());
    }

    [Fact]
    public async Task An_idempotency_key_repeats_its_first_answer_refuses_another_body_and_never_revives_a_deleted_monitor()
    {
        var (_, key) = await t.NewAccount($"idem-{Guid.NewGuid():N}@example.com");

        var first = await t.Api("monitors", body: MonitorsRuntime.Web(), key: key, idempotencyKey: "order-42");
        var repeat = await t.Api("monitors", body: """{ "intervalMinutes": 5, "name": "Web", "type": "https", "target": "https://example.com/" }""", key: key, idempotencyKey: "order-42");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.Status, repeat.Status));
        Assert.Equal(first.Json!.ToJsonString(), repeat.Json!.ToJsonString());

        var different = await t.Api("monitors", body: MonitorsRuntime.Web("Other"), key: key, idempotencyKey: "order-42");
        Assert.Equal((HttpStatusCode.Conflict, "idempotency_conflict"), (different.Status, different.ErrorCode));

        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"monitors/{first.Json!["id"]}", HttpMethod.Delete, key: key)).Status);
        var revived = await t.Api("monitors", body: MonitorsRuntime.Web(), key: key, idempotencyKey: "order-42");
        Assert.Equal((HttpStatusCode.Conflict, "idempotency_conflict"), (revived.Status, revived.ErrorCode));
        Assert.Empty((await t.Api("monitors", key: key)).Json!.AsArray());

        foreach (var bad in new[] { new string('k', 201), "with space", "tab\tkey", "ünïcode" })
        {
            var refused = await t.Api("monitors", body: MonitorsRuntime.Web(), key: key, idempotencyKey: bad);
            Assert.True(refused.Status == HttpStatusCode.BadRequest, $"{bad}: {refused.Status} {refused.Text}");
            if (refused.Json is not null)
            {
                Assert.Equal(("validation", "Idempotency-Key"), (refused.ErrorCode, refused.ErrorField));
            }
        }

        Assert.Equal(HttpStatusCode.Created, (await t.Api("monitors", body: MonitorsRuntime.Web(), key: key, idempotencyKey: new string('k', 200))).Status);
    }

    [Fact]
    public async Task Bad_requests_get_the_documented_4xx_and_change_nothing()
    {
        var (_, key) = await t.NewAccount($"bad-{Guid.NewGuid():N}@example.com");
        var id = (string)(await t.Api("monitors", body: MonitorsRuntime.Web(), key: key)).Json!["id"]!;
        var before = (await t.Api("monitors", key: key)).Text;

        async Task Expect(HttpStatusCode status, string code, string? field, Task<ServerlessMonitor.Tests.Accounts.AccountsRuntime.Answer> call)
        {
            var answer = await call;
            Assert.True((status, code, field) == (answer.Status, answer.ErrorCode, answer.ErrorField), $"{status} {code} {field} ≠ {answer.Status} {answer.Text}");
        }

        JsonObject With(string name, JsonNode? value)
        {
            var body = MonitorsRuntime.Web();
            body[name] = value;
            return body;
        }

        await Expect(HttpStatusCode.Unauthorized, "unauthenticated", null, t.Api("monitors", body: MonitorsRuntime.Web()));
        await Expect(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", null, t.Api("monitors", body: MonitorsRuntime.Web(), key: key, contentType: "text/plain"));
        await Expect(HttpStatusCode.BadRequest, "invalid_json", null, t.Api("monitors", body: "{", key: key));
        await Expect(HttpStatusCode.BadRequest, "validation", null, t.Api("monitors", body: "[]", key: key));
        await Expect(HttpStatusCode.BadRequest, "validation", null, t.Api("monitors", body: With("colour", "red"), key: key));
        await Expect(HttpStatusCode.BadRequest, "validation", "intervalMinutes", t.Api("monitors", body: With("intervalMinutes", 3), key: key));
        await Expect(HttpStatusCode.BadRequest, "validation", "timeoutSeconds", t.Api("monitors", body: With("timeoutSeconds", 31), key: key));
        await Expect(HttpStatusCode.BadRequest, "validation", "expect.status.0", t.Api("monitors", body: With("expect", new JsonObject { ["status"] = new JsonArray(600) }), key: key));
        await Expect(HttpStatusCode.BadRequest, "validation", "escalation.0.channels.0", t.Api("monitors", body: With("escalation", new JsonArray(new JsonObject { ["afterMinutes"] = 0, ["channels"] = new JsonArray(Ids.New(Ids.Channel)) })), key: key));
        await Expect(HttpStatusCode.BadRequest, "validation", "regions.0", t.Api("monitors", body: With("regions", new JsonArray("mars")), key: key));
        await Expect(HttpStatusCode.BadRequest, "validation", "target", t.Api("monitors", body: With("target", "http://example.com/"), key: key));
        await Expect(HttpStatusCode.BadRequest, "target_not_allowed", "target", t.Api("monitors", body: With("target", "https://169.254.169.254/latest/meta-data/"), key: key));
        await Expect(HttpStatusCode.BadRequest, "validation", "name", t.Api($"monitors/{id}", HttpMethod.Patch, new JsonObject { ["name"] = null }, key));
        await Expect(HttpStatusCode.BadRequest, "validation", "target", t.Api($"monitors/{id}", HttpMethod.Patch, new JsonObject { ["type"] = "tcp" }, key));
        await Expect(HttpStatusCode.NotFound, "not_found", null, t.Api("monitors/m123", key: key));
        await Expect(HttpStatusCode.NotFound, "not_found", null, t.Api($"monitors/{Ids.New(Ids.Monitor)}", HttpMethod.Patch, new JsonObject(), key));

        Assert.Equal(before, (await t.Api("monitors", key: key)).Text);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_monitor_routes()
    {
        var doc = (await t.Api("openapi.json")).Json!;
        var paths = doc["paths"]!;

        Assert.NotNull(paths["/monitors"]!["post"]!["requestBody"]);
        Assert.NotNull(paths["/monitors"]!["get"]);
        Assert.NotNull(paths["/monitors/{id}"]!["patch"]!["requestBody"]);
        Assert.NotNull(paths["/monitors/{id}"]!["delete"]);
        var request = doc["components"]!["schemas"]!["MonitorCreateRequest"]!["properties"]!.AsObject().Select(p => p.Key);
        Assert.Equal(MonitorInput.Fields.Order(), request.Order());
        var patch = doc["components"]!["schemas"]!["MonitorPatchRequest"]!["properties"]!.AsObject().Select(p => p.Key);
        Assert.Equal(MonitorInput.Fields.Order(), patch.Order());
    }
}
