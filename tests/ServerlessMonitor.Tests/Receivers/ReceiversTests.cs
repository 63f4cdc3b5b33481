using System.Net;
using System.Text.Json.Nodes;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Tests.Accounts;

namespace ServerlessMonitor.Tests.Receivers;

/// <summary>
/// Receivers on the local runtime, over HTTP and through the outbox (receivers.test.ts): an owner
/// invites addresses to a monitor's alerts; each invitee accepts (by the link, once it has an
/// account, or with its key) or refuses, owns its path over its own channels, and may leave; the
/// owner withdraws; nobody else touches it.
/// </summary>
public sealed class ReceiversTests(ReceiversRuntime r) : IClassFixture<ReceiversRuntime>
{
    private readonly AccountsRuntime t = r.Runtime;

    [Fact]
    public async Task An_invited_address_accepts_by_the_link_once_it_has_an_account()
    {
        var monitorId = await r.NewMonitor("Shop");
        var bobEmail = $"bob-{Guid.NewGuid():N}@example.com";

        var invited = await Invite(monitorId, bobEmail.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.Created, invited.Status);
        Assert.Matches("^[0-9a-f]{64}$", (string)invited.Json!["id"]!);
        Assert.Equal(Ids.Sha256Hex(bobEmail), (string?)invited.Json["id"]);
        Assert.Equal(bobEmail, (string?)invited.Json["email"]);
        Assert.Equal("invited", (string?)invited.Json["status"]);

        var invitation = await t.MessageTo(bobEmail);
        Assert.Contains(r.OwnerEmail, (string)invitation["subject"]!, StringComparison.Ordinal);
        Assert.Contains("Shop", (string)invitation["body"]!, StringComparison.Ordinal);
        var link = AccountsRuntime.ConfirmPath(invitation);
        var page = await t.Api(link);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Shop", page.Text, StringComparison.Ordinal);
        Assert.Equal("receiver", (string?)(await t.Api(link, accept: "application/json")).Json!["kind"]);

        // No account yet: nothing happens, and the link keeps working.
        var before = await t.Snapshot();
        var early = await t.ConfirmJson(link);
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal("account_needed", early.ErrorCode);
        Assert.Equal(before, await t.Snapshot());

        var (bobId, bobKey) = await t.NewAccount(bobEmail);
        var receiving = (await t.Api("receiving", key: bobKey)).Json!.AsArray();
        var view = Assert.Single(receiving)!;
        Assert.Equal(monitorId, (string?)view["monitorId"]);
        Assert.Equal("Shop", (string?)view["monitorName"]);
        Assert.Equal(r.OwnerEmail, (string?)view["ownerEmail"]);
        Assert.Equal("invited", (string?)view["status"]);
        Assert.True(view.AsObject().ContainsKey("escalation") && view["escalation"] is null);

        var accepted = await t.ConfirmJson(link);
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal(new JsonObject { ["kind"] = "receiver", ["monitorId"] = monitorId, ["status"] = "accepted" }.ToJsonString(), accepted.Json!.ToJsonString());
        Assert.Equal(HttpStatusCode.Gone, (await t.ConfirmJson(link)).Status);

        var listed = Assert.Single((await t.Api($"monitors/{monitorId}/receivers", key: r.OwnerKey)).Json!.AsArray())!;
        Assert.Equal("accepted", (string?)listed["status"]);
        Assert.Equal(bobId, (string?)listed["accountId"]);
        Assert.NotNull(listed["respondedAt"]);

        // A receiver reads; only the owner manages receivers.
        Assert.Equal(HttpStatusCode.Forbidden, (await Invite(monitorId, "eve@example.com", bobKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await t.Api($"monitors/{monitorId}/receivers", key: bobKey)).Status);
    }

    [Fact]
    public async Task An_accepted_receiver_owns_its_path_over_its_own_channels_only()
    {
        var monitorId = await r.NewMonitor("Path");
        var email = $"path-{Guid.NewGuid():N}@example.com";
        await Invite(monitorId, email);
        var (_, key) = await t.NewAccount(email);
        var sms = (string)(await t.Api("channels", body: new { kind = "sms", address = "+14155550123" }, key: key)).Json!["id"]!;
        var mail = (string)(await t.Api("channels", key: key)).Json!.AsArray()[0]!["id"]!;
        var ownerChannel = (string)(await t.Api("channels", key: r.OwnerKey)).Json!.AsArray()[0]!["id"]!;

        var before = await t.Snapshot();
        var foreign = await Answer(monitorId, key, new { accept = true, escalation = new[] { new { afterMinutes = 0, channels = new[] { sms, ownerChannel } } } });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.Status);
        Assert.Equal("escalation.0.channels.1", foreign.ErrorField);
        Assert.Equal(before, await t.Snapshot());

        var path = await Answer(monitorId, key, new
        {
            accept = true,
            escalation = new object[] { new { afterMinutes = 10, channels = new[] { sms, sms } }, new { afterMinutes = 0, channels = new[] { mail } } },
            repeatMinutes = 30,
        });
        Assert.Equal(HttpStatusCode.OK, path.Status);
        Assert.Equal("accepted", (string?)path.Json!["status"]);
        Assert.Equal($$"""[{"afterMinutes":0,"channels":["{{mail}}"]},{"afterMinutes":10,"channels":["{{sms}}"]}]""", path.Json["escalation"]!.ToJsonString());
        Assert.Equal(30, (int?)path.Json["repeatMinutes"]);
        Assert.Equal(path.Json.ToJsonString(), (await t.Api("receiving", key: key)).Json!.AsArray()[0]!.ToJsonString());

        // Left out: kept. Null: back to the defaults.
        var kept = await Answer(monitorId, key, new { accept = true });
        Assert.Equal(path.Json.ToJsonString(), kept.Json!.ToJsonString());
        var reset = await Answer(monitorId, key, """{"accept":true,"escalation":null,"repeatMinutes":null}""");
        Assert.Null(reset.Json!["escalation"]);
        Assert.Null(reset.Json["repeatMinutes"]);
        Assert.Equal((string?)path.Json["respondedAt"], (string?)reset.Json["respondedAt"]);
    }

    [Fact]
    public async Task An_invitee_may_refuse_and_is_not_invited_again_by_repeating_the_invitation()
    {
        var monitorId = await r.NewMonitor("Refused");
        var carolEmail = $"carol-{Guid.NewGuid():N}@example.com";
        var otherEmail = $"other-{Guid.NewGuid():N}@example.com";
        await Invite(monitorId, carolEmail);
        await Invite(monitorId, otherEmail);
        var (_, carolKey) = await t.NewAccount(carolEmail);
        var (_, otherKey) = await t.NewAccount(otherEmail);
        Assert.Equal(HttpStatusCode.OK, (await Answer(monitorId, otherKey, new { accept = true })).Status);

        var refused = await Answer(monitorId, carolKey, new { accept = false });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("refused", (string?)refused.Json!["status"]);
        var carol = (await t.Api($"monitors/{monitorId}/receivers", key: r.OwnerKey)).Json!.AsArray().Single(x => (string?)x!["email"] == carolEmail)!;
        Assert.Equal("refused", (string?)carol["status"]);

        var messages = (await t.Outbox()).Count;
        var again = await Invite(monitorId, carolEmail);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("refused", (string?)again.Json!["status"]);
        Assert.Equal(messages, (await t.Outbox()).Count);

        // A receiver may not remove another.
        Assert.Equal(HttpStatusCode.Forbidden, (await t.Api($"monitors/{monitorId}/receivers/{carol["id"]}", HttpMethod.Delete, key: otherKey)).Status);

        // Changing one's mind: accept after refusing.
        Assert.Equal("accepted", (string?)(await Answer(monitorId, carolKey, new { accept = true })).Json!["status"]);
    }

    [Fact]
    public async Task The_owner_withdraws_and_a_receiver_leaves_or_removes_itself()
    {
        var monitorId = await r.NewMonitor("Withdraw");
        var bobEmail = $"wbob-{Guid.NewGuid():N}@example.com";
        var carolEmail = $"wcarol-{Guid.NewGuid():N}@example.com";
        await Invite(monitorId, bobEmail);
        await Invite(monitorId, carolEmail);
        var (bobId, bobKey) = await t.NewAccount(bobEmail);
        var (_, carolKey) = await t.NewAccount(carolEmail);
        await Answer(monitorId, bobKey, new { accept = true });
        await Answer(monitorId, carolKey, new { accept = true });

        // The owner withdraws Bob by his account id.
        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"monitors/{monitorId}/receivers/{bobId}", HttpMethod.Delete, key: r.OwnerKey)).Status);
        Assert.Empty((await t.Api("receiving", key: bobKey)).Json!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{monitorId}/receivers/{bobId}", HttpMethod.Delete, key: r.OwnerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Answer(monitorId, bobKey, new { accept = true })).Status);

        // Carol leaves, comes back impossible; a receiver may also remove itself by id.
        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"monitors/{monitorId}/receivers/me", HttpMethod.Delete, key: carolKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Answer(monitorId, carolKey, new { accept = true })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{monitorId}/receivers/me", HttpMethod.Delete, key: carolKey)).Status);
        await Invite(monitorId, carolEmail);
        await Answer(monitorId, carolKey, new { accept = true });
        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"monitors/{monitorId}/receivers/{Ids.Sha256Hex(carolEmail)}", HttpMethod.Delete, key: carolKey)).Status);
        Assert.Empty((await t.Api($"monitors/{monitorId}/receivers", key: r.OwnerKey)).Json!.AsArray());
    }

    [Fact]
    public async Task A_withdrawn_invitation_link_is_gone()
    {
        var monitorId = await r.NewMonitor("Gone");
        var email = $"gone-{Guid.NewGuid():N}@example.com";
        var id = (string)(await Invite(monitorId, email)).Json!["id"]!;
        var link = AccountsRuntime.ConfirmPath(await t.MessageTo(email));

        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"monitors/{monitorId}/receivers/{id}", HttpMethod.Delete, key: r.OwnerKey)).Status);

        Assert.Equal(HttpStatusCode.Gone, (await t.Api(link, accept: "application/json")).Status);
        var refused = await t.ConfirmJson(link);
        Assert.Equal(HttpStatusCode.Gone, refused.Status);
        Assert.Equal("gone", refused.ErrorCode);
    }

    [Fact]
    public async Task Nonsense_is_refused_and_strangers_see_nothing()
    {
        var monitorId = await r.NewMonitor("Private");
        var (_, strangerKey) = await t.NewAccount($"stranger-{Guid.NewGuid():N}@example.com");
        var before = await t.Snapshot();

        var self = await Invite(monitorId, r.OwnerEmail.ToUpperInvariant());
        Assert.Equal((HttpStatusCode.BadRequest, "email"), (self.Status, self.ErrorField));
        Assert.Equal(HttpStatusCode.NotFound, (await Invite(monitorId, "x@example.com", strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{monitorId}/receivers", key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Answer(monitorId, strangerKey, new { accept = true })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{monitorId}/receivers/{Ids.Sha256Hex("x@example.com")}", HttpMethod.Delete, key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Invite(Ids.New(Ids.Monitor), "x@example.com")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Invite("not-a-monitor", "x@example.com")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{monitorId}/receivers/someone", HttpMethod.Delete, key: r.OwnerKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await t.Api($"monitors/{monitorId}/receivers")).Status);
        foreach (var body in new[] { "{}", """{"email":"nope"}""", """{"email":"x@example.com","role":"admin"}""", """{"email":7}""" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await t.Api($"monitors/{monitorId}/receivers", body: body, key: r.OwnerKey)).Status);
        }

        foreach (var (body, field) in new[]
        {
            ("{}", "accept"),
            ("""{"accept":"yes"}""", "accept"),
            ("""{"accept":true,"repeatMinutes":0}""", "repeatMinutes"),
            ("""{"accept":true,"repeatMinutes":1.5}""", "repeatMinutes"),
            ("""{"accept":true,"escalation":[]}""", "escalation"),
            ("""{"accept":true,"escalation":[{"afterMinutes":1441,"channels":["caaaaaaaaaaaaaaaaaaaa"]}]}""", "escalation.0.afterMinutes"),
            ("""{"accept":true,"escalation":[{"afterMinutes":0,"channels":["nope"]}]}""", "escalation.0.channels.0"),
            ("""{"accept":true,"escalation":[{"afterMinutes":0,"channels":[]}]}""", "escalation.0.channels"),
            ("""{"accept":true,"escalation":[{"afterMinutes":0,"channels":["caaaaaaaaaaaaaaaaaaaa"],"x":1}]}""", "escalation.0"),
            ("""{"accept":true,"mood":"happy"}""", (string?)null),
        })
        {
            var answer = await Answer(monitorId, strangerKey, body);
            Assert.True(answer.Status == HttpStatusCode.BadRequest, body);
            Assert.Equal(field, answer.ErrorField);
        }

        Assert.Equal(before, await t.Snapshot());
    }

    [Fact]
    public async Task A_monitor_has_at_most_twenty_receivers_and_an_address_is_invited_three_times_a_day_at_most()
    {
        var monitorId = await r.NewMonitor("Crowded");
        var first = $"again-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await Invite(monitorId, first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Invite(monitorId, first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Invite(monitorId, first)).Status);
        await t.MessageTo(first, 3);

        var before = await t.Snapshot();
        var tooOften = await Invite(monitorId, first);
        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited", "email"), (tooOften.Status, tooOften.ErrorCode, tooOften.ErrorField));
        Assert.True(int.Parse(tooOften.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture) > 23 * 3600);
        Assert.Equal(before, await t.Snapshot());

        for (var i = 1; i < Invitations.PerMonitor; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Invite(monitorId, $"crowd-{i}-{monitorId}@example.com")).Status);
        }

        before = await t.Snapshot();
        var full = await Invite(monitorId, $"one-more-{monitorId}@example.com");
        Assert.Equal((HttpStatusCode.Conflict, "too_many_receivers"), (full.Status, full.ErrorCode));
        Assert.Equal(before, await t.Snapshot());
        Assert.Equal(Invitations.PerMonitor, (await t.Api($"monitors/{monitorId}/receivers", key: r.OwnerKey)).Json!.AsArray().Count);
    }

    private Task<AccountsRuntime.Answer> Invite(string monitorId, string email, string? key = null) =>
        t.Api($"monitors/{monitorId}/receivers", body: new { email }, key: key ?? r.OwnerKey);

    private Task<AccountsRuntime.Answer> Answer(string monitorId, string key, object body) =>
        t.Api($"monitors/{monitorId}/receivers/me", HttpMethod.Put, body, key: key);
}
