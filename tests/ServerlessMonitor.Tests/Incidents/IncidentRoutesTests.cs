using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Receivers;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>
/// The incident routes on the local runtime, over HTTP (lifecycle.test.ts "serves an incident to
/// its owner, takes notes, and hides it from others"): GET /api/incidents/&lt;id&gt;,
/// POST /api/incidents/&lt;id&gt;/notes and GET /api/monitors/&lt;id&gt;/incidents. The owner
/// and receivers that accepted read and annotate; an invitee that has not accepted, a stranger and
/// a public monitor's readers see no incident; a read-only key reads and never writes.
/// </summary>
public sealed class IncidentRoutesTests(ReceiversRuntime r) : IClassFixture<ReceiversRuntime>
{
    private const long Minute = 29_500_000;
    private readonly AccountsRuntime t = r.Runtime;

    [Fact]
    public async Task An_incident_is_served_to_its_owner_and_accepted_receivers_and_is_missing_for_everyone_else()
    {
        var monitorId = await r.NewMonitor("Shop");
        var id = await StoredIncident(monitorId, Minute);
        var (_, receiverKey) = await Receiver(monitorId, accept: true);
        var (_, inviteeKey) = await Receiver(monitorId, accept: false);
        var (_, strangerKey) = await t.NewAccount($"stranger-{Guid.NewGuid():N}@example.com");
        var readOnly = (string)(await t.Api("keys", body: new { readOnly = true }, key: r.OwnerKey)).Json!["apiKey"]!;

        var owner = await t.Api($"incidents/{id}", key: r.OwnerKey);
        Assert.Equal(HttpStatusCode.OK, owner.Status);
        Assert.Equal("no-store", owner.Header("Cache-Control"));
        Assert.Equal((id, monitorId, "alerting"), ((string?)owner.Json!["id"], (string?)owner.Json["monitorId"], (string?)owner.Json["state"]));
        Assert.NotNull((string?)owner.Json["openedAt"]);
        Assert.Equal(["alerts", "id", "monitorId", "notes", "openedAt", "state", "timeline"], owner.Json.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["opened", "recheck", "verdict", "alerting", "alert"], owner.Json["timeline"]!.AsArray().Select(e => (string?)e!["kind"]));
        var alert = Assert.Single(owner.Json["alerts"]!.AsArray())!;
        Assert.Equal(($"{r.OwnerId}:c1", "email", "failure", 1), ((string?)alert["destination"], (string?)alert["channel"], (string?)alert["kind"], (int?)alert["sequence"]));
        Assert.Empty(owner.Json["notes"]!.AsArray());

        foreach (var key in new[] { receiverKey, readOnly })
        {
            var read = await t.Api($"incidents/{id}", key: key);
            Assert.Equal(HttpStatusCode.OK, read.Status);
            Assert.Equal(owner.Json.ToJsonString(), read.Json!.ToJsonString());
        }

        foreach (var key in new[] { inviteeKey, strangerKey })
        {
            var hidden = await t.Api($"incidents/{id}", key: key);
            Assert.Equal((HttpStatusCode.NotFound, "not_found"), (hidden.Status, hidden.ErrorCode));
        }

        // Missing or malformed ids are as missing as hidden ones; without a key nothing is said.
        foreach (var unknown in new[] { $"{monitorId}-{Minute + 1}", $"{Ids.New(Ids.Monitor)}-{Minute}", "m1-2", "nonsense" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"incidents/{unknown}", key: r.OwnerKey)).Status);
        }

        var anonymous = await t.Api($"incidents/{id}");
        Assert.Equal((HttpStatusCode.Unauthorized, "unauthenticated"), (anonymous.Status, anonymous.ErrorCode));
        Assert.Equal("Bearer", anonymous.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task The_incidents_of_a_public_monitor_or_a_deleted_one_are_missing_for_everyone_but_while_it_exists_its_owner()
    {
        var monitorId = await r.NewMonitor("Public", isPublic: true);
        var id = await StoredIncident(monitorId, Minute);
        var (_, strangerKey) = await t.NewAccount($"reader-{Guid.NewGuid():N}@example.com");

        Assert.Equal(HttpStatusCode.OK, (await t.Api($"monitors/{monitorId}", key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"incidents/{id}", key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"incidents/{id}/notes", body: new { text = "hi" }, key: strangerKey)).Status);
        var listed = await t.Api($"monitors/{monitorId}/incidents", key: strangerKey);
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Empty(listed.Json!.AsArray());
        Assert.Single((await t.Api($"monitors/{monitorId}/incidents", key: r.OwnerKey)).Json!.AsArray());

        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"monitors/{monitorId}", HttpMethod.Delete, key: r.OwnerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"incidents/{id}", key: r.OwnerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{monitorId}/incidents", key: r.OwnerKey)).Status);
    }

    [Fact]
    public async Task The_owner_and_accepted_receivers_add_notes_and_a_bad_or_unpermitted_note_stores_nothing()
    {
        var monitorId = await r.NewMonitor("Notes");
        var id = await StoredIncident(monitorId, Minute);
        var (receiverId, receiverKey) = await Receiver(monitorId, accept: true);
        var (_, inviteeKey) = await Receiver(monitorId, accept: false);
        var (_, strangerKey) = await t.NewAccount($"stranger-{Guid.NewGuid():N}@example.com");
        var readOnly = (string)(await t.Api("keys", body: new { readOnly = true }, key: r.OwnerKey)).Json!["apiKey"]!;

        var before = await t.Snapshot();
        (object Body, string ContentType, HttpStatusCode Status, string Code, string? Field)[] bad =
        [
            (new { }, "application/json", HttpStatusCode.BadRequest, "validation", "text"),
            (new { text = (string?)null }, "application/json", HttpStatusCode.BadRequest, "validation", "text"),
            (new { text = 42 }, "application/json", HttpStatusCode.BadRequest, "validation", "text"),
            (new { text = string.Empty }, "application/json", HttpStatusCode.BadRequest, "validation", "text"),
            (new { text = "   \n " }, "application/json", HttpStatusCode.BadRequest, "validation", "text"),
            (new { text = new string('x', 2001) }, "application/json", HttpStatusCode.BadRequest, "validation", "text"),
            (new { text = "two\nlines" }, "application/json", HttpStatusCode.BadRequest, "validation", "text"),
            (new { text = "hi", author = "a" }, "application/json", HttpStatusCode.BadRequest, "validation", null),
            ("[\"hi\"]", "application/json", HttpStatusCode.BadRequest, "validation", null),
            ("{\"text\":", "application/json", HttpStatusCode.BadRequest, "invalid_json", null),
            (string.Empty, "application/json", HttpStatusCode.BadRequest, "invalid_json", null),
            ("text=hi", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", null),
        ];
        foreach (var (body, contentType, status, code, field) in bad)
        {
            var refused = await t.Api($"incidents/{id}/notes", HttpMethod.Post, body, r.OwnerKey, contentType: contentType);
            Assert.True((status, code, field) == (refused.Status, refused.ErrorCode, refused.ErrorField), $"{body}: {refused.Status} {refused.Text}");
        }

        // A read-only key is refused before anything else, even with a good note; strangers,
        // invitees that have not accepted and unknown incidents find nothing to annotate.
        var forbidden = await t.Api($"incidents/{id}/notes", body: new { text = "hi" }, key: readOnly);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (forbidden.Status, forbidden.ErrorCode));
        Assert.Equal(HttpStatusCode.Forbidden, (await t.Api($"incidents/nonsense/notes", body: "not json", key: readOnly)).Status);
        foreach (var key in new[] { strangerKey, inviteeKey })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"incidents/{id}/notes", body: new { text = "hi" }, key: key)).Status);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"incidents/{monitorId}-{Minute + 1}/notes", body: new { text = "hi" }, key: r.OwnerKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await t.Api($"incidents/{id}/notes", body: new { text = "hi" })).Status);
        Assert.Equal(before, await t.Snapshot());

        var byOwner = await t.Api($"incidents/{id}/notes", body: new { text = "  looking into it, the provider knows  " }, key: r.OwnerKey);
        Assert.Equal(HttpStatusCode.Created, byOwner.Status);
        Assert.Equal((r.OwnerId, "looking into it, the provider knows"), ((string?)byOwner.Json!["accountId"], (string?)byOwner.Json["text"]));
        Assert.NotNull((string?)byOwner.Json["at"]);
        var byReceiver = await t.Api($"incidents/{id}/notes", body: new { text = new string('é', 2000) }, key: receiverKey);
        Assert.Equal(HttpStatusCode.Created, byReceiver.Status);

        var notes = (await t.Api($"incidents/{id}", key: readOnly)).Json!["notes"]!.AsArray();
        Assert.Equal([byOwner.Json.ToJsonString(), byReceiver.Json!.ToJsonString()], notes.Select(n => n!.ToJsonString()));
        Assert.Equal([r.OwnerId, receiverId], notes.Select(n => (string?)n!["accountId"]));
    }

    [Fact]
    public async Task A_monitors_incidents_come_newest_first_in_full_limited_by_a_strict_query()
    {
        var monitorId = await r.NewMonitor("History");
        foreach (var minute in new[] { Minute + 10, Minute + 30, Minute + 20 })
        {
            await StoredIncident(monitorId, minute);
        }

        var (_, receiverKey) = await Receiver(monitorId, accept: true);
        var (_, inviteeKey) = await Receiver(monitorId, accept: false);
        var readOnly = (string)(await t.Api("keys", body: new { readOnly = true }, key: r.OwnerKey)).Json!["apiKey"]!;

        var all = await t.Api($"monitors/{monitorId}/incidents", key: r.OwnerKey);
        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.Equal([$"{monitorId}-{Minute + 30}", $"{monitorId}-{Minute + 20}", $"{monitorId}-{Minute + 10}"], all.Json!.AsArray().Select(i => (string?)i!["id"]));
        var detail = await t.Api($"incidents/{monitorId}-{Minute + 30}", key: r.OwnerKey);
        Assert.Equal(detail.Json!.ToJsonString(), all.Json[0]!.ToJsonString());

        foreach (var key in new[] { receiverKey, readOnly })
        {
            Assert.Equal(all.Json.ToJsonString(), (await t.Api($"monitors/{monitorId}/incidents", key: key)).Json!.ToJsonString());
        }

        var newest = await t.Api($"monitors/{monitorId}/incidents?limit=1", key: r.OwnerKey);
        Assert.Equal([$"{monitorId}-{Minute + 30}"], newest.Json!.AsArray().Select(i => (string?)i!["id"]));
        Assert.Equal(3, (await t.Api($"monitors/{monitorId}/incidents?limit=100", key: r.OwnerKey)).Json!.AsArray().Count);

        foreach (var query in new[] { "limit=0", "limit=101", "limit=abc", "limit=1.5", "limit=", "limit=1&limit=2" })
        {
            var refused = await t.Api($"monitors/{monitorId}/incidents?{query}", key: r.OwnerKey);
            Assert.True((HttpStatusCode.BadRequest, "validation", "limit") == (refused.Status, refused.ErrorCode, refused.ErrorField), $"{query}: {refused.Status} {refused.Text}");
        }

        var unknown = await t.Api($"monitors/{monitorId}/incidents?limit=1&from=2026-01-01T00:00:00Z", key: r.OwnerKey);
        Assert.Equal((HttpStatusCode.BadRequest, "validation", null), (unknown.Status, unknown.ErrorCode, unknown.ErrorField));
        Assert.Contains("from", (string?)unknown.Json!["error"]!["message"], StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{monitorId}/incidents", key: inviteeKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{Ids.New(Ids.Monitor)}/incidents", key: r.OwnerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api("monitors/nonsense/incidents", key: r.OwnerKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await t.Api($"monitors/{monitorId}/incidents")).Status);
    }

    /// <summary>An account invited to the monitor that accepted (or has not answered yet).</summary>
    private async Task<(string AccountId, string ApiKey)> Receiver(string monitorId, bool accept)
    {
        var email = $"receiver-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await t.Api($"monitors/{monitorId}/receivers", body: new { email }, key: r.OwnerKey)).Status);
        var account = await t.NewAccount(email);
        if (accept)
        {
            Assert.Equal(HttpStatusCode.OK, (await t.Api($"monitors/{monitorId}/receivers/me", HttpMethod.Put, new { accept = true }, account.ApiKey)).Status);
        }

        return account;
    }

    /// <summary>An incident as the activities record it: opened, rechecked, alerting, one alert to the owner.</summary>
    private async Task<string> StoredIncident(string monitorId, long minute)
    {
        var store = t.Runtime.ServicesOf(t.Runtime.Config.Region).GetRequiredService<IncidentStore>();
        var id = IncidentIds.Of(monitorId, minute);
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await store.CreateAsync(new IncidentRecord(id, monitorId, new AlertedMonitor(monitorId, "Shop", ProbeType.Https, "https://example.com/"), minute, at, IncidentStatus.Alerting, null, null), default);
        await store.PutTimelineAsync(id, at, [new(0, TimelineKind.Opened, minute, VerdictOutcome.Fail, ["eu", "us"]), new(1, TimelineKind.Recheck, minute + 1)], default);
        await store.PutTimelineAsync(id, at.AddMinutes(1), [new(2, TimelineKind.Verdict, minute + 1, VerdictOutcome.Fail, ["eu", "us"]), new(3, TimelineKind.Alerting)], default);
        await store.PutAlertAsync(id, new AlertRecord(at.AddMinutes(2), $"{r.OwnerId}:c1", ChannelKind.Email, AlertKind.Failure, 1, AlertStatus.Sent), default);
        return id;
    }
}
