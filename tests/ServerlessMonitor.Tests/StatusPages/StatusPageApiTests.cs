using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.StatusPages;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.StatusPages;

/// <summary>The owner's API of status pages on the local runtime: who may, what is refused (and then nothing is stored), what a change does.</summary>
public sealed class StatusPageApiTests(StatusPagesRuntime rt) : IClassFixture<StatusPagesRuntime>
{
    [Fact]
    public async Task An_owner_publishes_reads_changes_and_deletes_a_page_of_its_public_monitors()
    {
        var (_, key) = await rt.NewAccount();
        var a = await rt.Monitor(key, "API", paused: true);
        var b = await rt.Monitor(key, "Web", paused: true);
        var slug = Slug();

        var created = await rt.Api("status-pages", body: new { slug, title = "Acme status", monitors = new object[] { new { id = a }, new { id = b, displayName = "Website" } } }, key: key);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(slug, (string?)created.Json!["slug"]);
        Assert.Equal("Acme status", (string?)created.Json!["title"]);
        Assert.EndsWith($"/api/status/{slug}", (string)created.Json!["url"]!, StringComparison.Ordinal);
        Assert.Equal([a, b], created.Json!["monitors"]!.AsArray().Select(m => (string)m!["id"]!));
        Assert.Equal("Website", (string?)created.Json!["monitors"]![1]!["displayName"]);
        Assert.Null(created.Json!["monitors"]![0]!["displayName"]);

        var read = await rt.Api($"status-pages/{slug}", key: key);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(created.Json!.ToJsonString(), read.Json!.ToJsonString());

        var patched = await rt.Api($"status-pages/{slug}", HttpMethod.Patch, new { title = "Acme, Inc.", monitors = new object[] { new { id = b } } }, key);
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("Acme, Inc.", (string?)patched.Json!["title"]);
        Assert.Equal([b], patched.Json!["monitors"]!.AsArray().Select(m => (string)m!["id"]!));

        var titleOnly = await rt.Api($"status-pages/{slug}", HttpMethod.Patch, new { title = "Acme" }, key);
        Assert.Equal([b], titleOnly.Json!["monitors"]!.AsArray().Select(m => (string)m!["id"]!));

        Assert.Equal(HttpStatusCode.NoContent, (await rt.Api($"status-pages/{slug}", HttpMethod.Delete, key: key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await rt.Api($"status-pages/{slug}", key: key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await rt.Api($"status/{slug}")).Status);

        // The slug is free again, and nothing of the old page is left behind.
        Assert.Equal(HttpStatusCode.Created, (await rt.Api("status-pages", body: new { slug, title = "Again", monitors = new object[] { new { id = a } } }, key: key)).Status);
    }

    [Fact]
    public async Task Without_a_key_it_is_401_another_accounts_page_is_403_and_an_unknown_slug_404()
    {
        var (_, owner) = await rt.NewAccount();
        var (_, stranger) = await rt.NewAccount();
        var slug = Slug();
        Assert.Equal(HttpStatusCode.Created, (await rt.Api("status-pages", body: new { slug, title = "Mine", monitors = new object[] { new { id = await rt.Monitor(owner, "M", paused: true) } } }, key: owner)).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await rt.Api("status-pages", body: new { slug = Slug(), title = "x", monitors = Array.Empty<object>() })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rt.Api($"status-pages/{slug}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rt.Api($"status-pages/{slug}", HttpMethod.Delete)).Status);
        foreach (var (method, body) in new (HttpMethod, object?)[] { (HttpMethod.Get, null), (HttpMethod.Patch, new { title = "Theirs" }), (HttpMethod.Delete, null) })
        {
            var answer = await rt.Api($"status-pages/{slug}", method, body, stranger);
            Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
            Assert.Equal("forbidden", answer.ErrorCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await rt.Api($"status-pages/{Slug()}", key: owner)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await rt.Api("status-pages/NOT_A_SLUG", key: owner)).Status);
        Assert.Equal("Mine", (string?)(await rt.Api($"status-pages/{slug}", key: owner)).Json!["title"]);

        var readOnly = (string)(await rt.Api("keys", body: new { readOnly = true }, key: owner)).Json!["apiKey"]!;
        Assert.Equal(HttpStatusCode.OK, (await rt.Api($"status-pages/{slug}", key: readOnly)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await rt.Api($"status-pages/{slug}", HttpMethod.Delete, key: readOnly)).Status);
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_stores_nothing()
    {
        var (_, key) = await rt.NewAccount();
        var (_, other) = await rt.NewAccount();
        var mine = await rt.Monitor(key, "Public", paused: true);
        var privateOne = await rt.Monitor(key, "Private", isPublic: false, paused: true);
        var theirs = await rt.Monitor(other, "Theirs", paused: true);
        var before = await RowCount();

        var cases = new (object Body, string Field)[]
        {
            (new { slug = "ab", title = "t", monitors = new object[] { new { id = mine } } }, "slug"),
            (new { slug = "Upper-Case", title = "t", monitors = new object[] { new { id = mine } } }, "slug"),
            (new { slug = "has space", title = "t", monitors = new object[] { new { id = mine } } }, "slug"),
            (new { slug = new string('a', 61), title = "t", monitors = new object[] { new { id = mine } } }, "slug"),
            (new { slug = Slug(), title = "", monitors = new object[] { new { id = mine } } }, "title"),
            (new { slug = Slug(), title = new string('t', 101), monitors = new object[] { new { id = mine } } }, "title"),
            (new { slug = Slug(), title = "t", monitors = Array.Empty<object>() }, "monitors"),
            (new { slug = Slug(), title = "t" }, "monitors"),
            (new { slug = Slug(), title = "t", monitors = new object[] { new { id = privateOne } } }, "monitors.0.id"),
            (new { slug = Slug(), title = "t", monitors = new object[] { new { id = mine }, new { id = theirs } } }, "monitors.1.id"),
            (new { slug = Slug(), title = "t", monitors = new object[] { new { id = mine }, new { id = mine } } }, "monitors.1.id"),
            (new { slug = Slug(), title = "t", monitors = new object[] { new { id = "m-not-an-id" } } }, "monitors.0.id"),
            (new { slug = Slug(), title = "t", monitors = new object[] { new { id = mine, displayName = " " } } }, "monitors.0.displayName"),
            (new { slug = Slug(), title = "t", monitors = new object[] { new { id = mine, colour = "red" } } }, "monitors.0"),
        };
        foreach (var (body, field) in cases)
        {
            var answer = await rt.Api("status-pages", body: body, key: key);
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body))}: {answer.Status} {answer.Text}");
            Assert.Equal("validation", answer.ErrorCode);
            Assert.Equal(field, answer.ErrorField);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await rt.Api("status-pages", body: "[]", key: key)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await rt.Api("status-pages", body: "{\"slug\": \"x\", \"extra\": 1}", key: key)).Status);
        Assert.Equal(before, await RowCount());

        var slug = Slug();
        Assert.Equal(HttpStatusCode.Created, (await rt.Api("status-pages", body: new { slug, title = "Kept", monitors = new object[] { new { id = mine } } }, key: key)).Status);
        var taken = await rt.Api("status-pages", body: new { slug, title = "Mine now", monitors = new object[] { new { id = theirs } } }, key: other);
        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
        Assert.Equal("slug_taken", taken.ErrorCode);

        var rename = await rt.Api($"status-pages/{slug}", HttpMethod.Patch, new { slug = "other-slug" }, key);
        Assert.Equal("slug", rename.ErrorField);
        var badPatch = await rt.Api($"status-pages/{slug}", HttpMethod.Patch, new { title = "Changed", monitors = new object[] { new { id = privateOne } } }, key);
        Assert.Equal("monitors.0.id", badPatch.ErrorField);
        var kept = await rt.Api($"status-pages/{slug}", key: key);
        Assert.Equal("Kept", (string?)kept.Json!["title"]);
        Assert.Equal([mine], kept.Json!["monitors"]!.AsArray().Select(m => (string)m!["id"]!));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_status_page_feed_and_badge_routes()
    {
        var doc = (await rt.Api("openapi.json")).Json!;
        var paths = doc["paths"]!;
        Assert.NotNull(paths["/status-pages"]!["post"]!["requestBody"]);
        Assert.NotNull(paths["/status-pages/{slug}"]!["get"]);
        Assert.NotNull(paths["/status-pages/{slug}"]!["patch"]!["requestBody"]);
        Assert.NotNull(paths["/status-pages/{slug}"]!["delete"]);
        Assert.NotNull(paths["/status/{slug}"]!["get"]);
        Assert.NotNull(paths["/status/{slug}/feed"]!["get"]);
        Assert.NotNull(paths["/badges/{monitorId}/status.svg"]!["get"]);
        Assert.NotNull(paths["/badges/{monitorId}/uptime.svg"]!["get"]);
        var create = doc["components"]!["schemas"]!["StatusPageCreateRequest"]!["properties"]!.AsObject().Select(p => p.Key);
        Assert.Equal(StatusPageInput.Fields.Order(), create.Order());
        var note = doc["components"]!["schemas"]!["IncidentNoteRequest"]!["properties"]!.AsObject().Select(p => p.Key);
        Assert.Equal(["public", "text"], note.Order());
    }

    private async Task<int> RowCount()
    {
        var table = rt.Services.GetRequiredService<StorageClients>().Table(StorageNames.StatusPages);
        var n = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            n++;
        }

        return n;
    }

    internal static string Slug() => $"page-{Guid.NewGuid().ToString("N")[..12]}";
}
