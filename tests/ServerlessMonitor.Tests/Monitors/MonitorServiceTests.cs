using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>Registering and changing monitors through Core on Azurite: idempotency keys, the checks that need the world, access and limits.</summary>
public sealed class MonitorServiceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeOwnChannels channels = new();
    private ServiceProvider services = null!;

    private MonitorService Monitors => services.GetRequiredService<MonitorService>();

    private MonitorStore Store => services.GetRequiredService<MonitorStore>();

    public async Task InitializeAsync() => services = await CoreMonitors.StartAsync(azurite.ConnectionString, time, channels, new()
    {
        [SettingCatalog.Regions] = "eastus,westeurope",
        [SettingCatalog.Region] = "eastus",
        [SettingCatalog.AllowPrivateTargets] = "false",
    });

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_repeat_with_the_same_key_answers_with_the_first_monitor_even_with_its_fields_reordered()
    {
        var owner = Caller();
        var key = IdempotencyKey.Parse("retry-1");

        var (first, created) = await Monitors.CreateAsync(owner, Body("""{"name":"Web","type":"https","target":"https://example.com/","intervalMinutes":5}"""), key, default);
        Assert.True(created);
        time.Advance(TimeSpan.FromHours(23));
        var (again, createdAgain) = await Monitors.CreateAsync(owner, Body("""{ "intervalMinutes": 5, "target": "https://example.com/", "type": "https", "name": "Web" }"""), key, default);

        Assert.False(createdAgain);
        Assert.Equal(first.Id, again.Id);
        Assert.Single(await Store.ListByOwnerAsync(owner.AccountId, default));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_conflict_and_changes_nothing()
    {
        var owner = Caller();
        var key = IdempotencyKey.Parse("retry-2");
        await Monitors.CreateAsync(owner, Web("One"), key, default);

        var refused = await Assert.ThrowsAsync<Refusal>(() => Monitors.CreateAsync(owner, Web("Two"), key, default));

        Assert.Equal((RefusalKind.Conflict, "idempotency_conflict"), (refused.Kind, refused.Code));
        Assert.Equal(["One"], (await Store.ListByOwnerAsync(owner.AccountId, default)).Select(m => m.Definition.Name));
    }

    [Fact]
    public async Task Keys_are_per_account()
    {
        var key = IdempotencyKey.Parse("shared-key");
        var (a, _) = await Monitors.CreateAsync(Caller(), Web("A"), key, default);
        var (b, createdB) = await Monitors.CreateAsync(Caller(), Web("A"), key, default);

        Assert.True(createdB);
        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public async Task A_key_never_revives_a_deleted_monitor_and_a_day_later_it_makes_a_new_one()
    {
        var owner = Caller();
        var key = IdempotencyKey.Parse("retry-3");
        var (first, _) = await Monitors.CreateAsync(owner, Web("Web"), key, default);
        var deleted = await Monitors.DeleteAsync(owner, first.Id, default);
        Assert.Equal(QuietEnd.Deleted, deleted.EndsIncident);

        var refused = await Assert.ThrowsAsync<Refusal>(() => Monitors.CreateAsync(owner, Web("Web"), key, default));
        Assert.Equal("idempotency_conflict", refused.Code);
        Assert.Empty(await Store.ListByOwnerAsync(owner.AccountId, default));
        Assert.Null(await Store.GetAsync(first.Id, default));

        time.Advance(MonitorLimits.IdempotencyKeyLifetime);
        var (fresh, created) = await Monitors.CreateAsync(owner, Web("Web"), key, default);
        Assert.True(created);
        Assert.NotEqual(first.Id, fresh.Id);
    }

    [Fact]
    public async Task Expired_keys_are_forgotten_when_the_account_next_creates_with_a_key()
    {
        var owner = Caller();
        await Monitors.CreateAsync(owner, Web("Old"), IdempotencyKey.Parse("old"), default);
        time.Advance(TimeSpan.FromHours(25));

        await Monitors.CreateAsync(owner, Web("New"), IdempotencyKey.Parse("new"), default);

        var record = Assert.Single(await Store.ListIdempotencyAsync(owner.AccountId, default));
        Assert.Equal(IdempotencyKey.Parse("new")!.Hash, record.KeyHash);
        Assert.Equal(2, (await Store.ListByOwnerAsync(owner.AccountId, default)).Count);
    }

    [Fact]
    public async Task A_repeat_finishes_a_create_that_stopped_after_claiming_its_key()
    {
        var owner = Caller();
        var key = IdempotencyKey.Parse("half-done")!;
        var body = Web("Web");
        var id = Ids.New(Ids.Monitor);
        await Store.ClaimIdempotencyAsync(new IdempotencyRecord(owner.AccountId, key.Hash, id, RequestHash.Of(body), time.GetUtcNow(), null), default);

        var (monitor, created) = await Monitors.CreateAsync(owner, body, key, default);

        Assert.Equal(id, monitor.Id);
        Assert.True(created);
        Assert.Equal(id, Assert.Single(await Store.ListByOwnerAsync(owner.AccountId, default)).Id);
    }

    [Fact]
    public async Task An_account_has_at_most_a_thousand_monitors()
    {
        var owner = Caller();
        var now = time.GetUtcNow();
        var definition = MonitorInput.ParseCreate(Web("Filler"), ["eastus"]).Definition;
        foreach (var batch in Enumerable.Range(0, MonitorLimits.MaxPerAccount).Chunk(50))
        {
            await Task.WhenAll(batch.Select(_ => Store.CreateAsync(new MonitorRecord(Ids.New(Ids.Monitor), owner.AccountId, definition, MonitorState.Unknown, null, now, now), default)));
        }

        var refused = await Assert.ThrowsAsync<Refusal>(() => Monitors.CreateAsync(owner, Web("One too many"), IdempotencyKey.Parse("k"), default));

        Assert.Equal((RefusalKind.Conflict, "too_many_monitors"), (refused.Kind, refused.Code));
        Assert.Empty(await Store.ListIdempotencyAsync(owner.AccountId, default));
        Assert.Equal(MonitorLimits.MaxPerAccount, await Store.CountByOwnerAsync(owner.AccountId, default));
    }

    [Fact]
    public async Task Escalation_may_name_only_the_owners_channels_and_a_patch_rechecks_only_what_it_names()
    {
        var owner = Caller();
        var mine = Ids.New(Ids.Channel);
        var theirs = Ids.New(Ids.Channel);
        channels.Grant(owner.AccountId, mine);

        var refused = await Assert.ThrowsAsync<Refusal>(() => Monitors.CreateAsync(owner, Web("Web", escalation: $$"""[{"afterMinutes":0,"channels":["{{mine}}"]},{"afterMinutes":5,"channels":["{{mine}}","{{theirs}}"]}]"""), null, default));
        Assert.Equal(("validation", "escalation.1.channels.1"), (refused.Code, refused.Field));

        var (monitor, _) = await Monitors.CreateAsync(owner, Web("Web", escalation: $$"""[{"afterMinutes":0,"channels":["{{mine}}"]}]"""), null, default);
        var otherChannels = new FakeOwnChannels();
        await using (var withoutTheChannel = await CoreMonitors.StartAsync(azurite.ConnectionString, time, otherChannels))
        {
            // The channel is gone since: renaming still works, naming the path again does not.
            var monitors = withoutTheChannel.GetRequiredService<MonitorService>();
            Assert.Equal("Renamed", (await monitors.UpdateAsync(owner, monitor.Id, Body("""{"name":"Renamed"}"""), default)).Monitor.Definition.Name);
            var again = await Assert.ThrowsAsync<Refusal>(() => monitors.UpdateAsync(owner, monitor.Id, Body($$"""{"escalation":[{"afterMinutes":0,"channels":["{{mine}}"]}]}"""), default));
            Assert.Equal("escalation.0.channels.0", again.Field);
        }
    }

    [Theory]
    [InlineData("https", "https://127.0.0.1/", "target")]
    [InlineData("http", "http://localhost:8080/", "target")]
    [InlineData("https", "https://[::ffff:10.0.0.1]/", "target")]
    [InlineData("ssh", "169.254.169.254", "target")]
    [InlineData("tcp", "192.168.1.1:5432", "target")]
    public async Task Internal_targets_are_refused_at_save(string type, string target, string field)
    {
        var refused = await Assert.ThrowsAsync<Refusal>(() => Monitors.CreateAsync(Caller(), Body($$"""{"name":"x","type":"{{type}}","target":"{{target}}","intervalMinutes":5}"""), null, default));

        Assert.Equal((RefusalKind.Invalid, "target_not_allowed", field), (refused.Kind, refused.Code, refused.Field));
    }

    [Fact]
    public async Task A_dns_monitor_is_refused_for_an_internal_resolver_and_names_that_do_not_resolve_are_accepted()
    {
        var refused = await Assert.ThrowsAsync<Refusal>(() => Monitors.CreateAsync(Caller(), Body("""{"name":"x","type":"dns","target":"example.com","intervalMinutes":5,"expect":{"server":"10.0.0.53"}}"""), null, default));
        Assert.Equal(("target_not_allowed", "expect.server"), (refused.Code, refused.Field));

        var (monitor, _) = await Monitors.CreateAsync(Caller(), Body("""{"name":"x","type":"https","target":"https://not-yet.invalid/","intervalMinutes":5}"""), null, default);
        Assert.Equal("https://not-yet.invalid/", monitor.Definition.Target);
    }

    [Fact]
    public async Task A_patch_that_moves_the_target_inside_is_refused_and_changes_nothing()
    {
        var owner = Caller();
        var (monitor, _) = await Monitors.CreateAsync(owner, Web("Web"), null, default);

        var refused = await Assert.ThrowsAsync<Refusal>(() => Monitors.UpdateAsync(owner, monitor.Id, Body("""{"target":"https://10.1.2.3/"}"""), default));

        Assert.Equal("target_not_allowed", refused.Code);
        Assert.Equal(monitor.Definition.Target, (await Store.GetAsync(monitor.Id, default))!.Definition.Target);
    }

    [Fact]
    public async Task Pausing_asks_for_the_open_incident_to_end_quietly_every_time_and_other_patches_do_not()
    {
        var owner = Caller();
        var (monitor, _) = await Monitors.CreateAsync(owner, Web("Web"), null, default);
        await Store.SetStateAsync(monitor.Id, MonitorState.Down, time.GetUtcNow(), default, default);

        Assert.Null((await Monitors.UpdateAsync(owner, monitor.Id, Body("""{"name":"Renamed"}"""), default)).EndsIncident);
        time.Advance(TimeSpan.FromMinutes(1));
        var paused = await Monitors.UpdateAsync(owner, monitor.Id, Body("""{"paused":true}"""), default);
        Assert.Equal(QuietEnd.Paused, paused.EndsIncident);
        Assert.Equal(QuietEnd.Paused, (await Monitors.UpdateAsync(owner, monitor.Id, Body("""{"paused":true}"""), default)).EndsIncident);
        Assert.Null((await Monitors.UpdateAsync(owner, monitor.Id, Body("""{"paused":false}"""), default)).EndsIncident);

        var stored = (await Store.GetAsync(monitor.Id, default))!;
        Assert.Equal(MonitorState.Down, stored.State);
        Assert.Equal(time.GetUtcNow(), stored.UpdatedAt);
        Assert.Equal(monitor.CreatedAt, stored.CreatedAt);
    }

    [Fact]
    public async Task Access_is_owner_accepted_receiver_or_public_and_nothing_for_anyone_else()
    {
        var owner = Caller();
        var receiver = Caller();
        var invited = Caller();
        var stranger = Caller();
        var access = services.GetRequiredService<MonitorAccess>();
        var (monitor, _) = await Monitors.CreateAsync(owner, Web("Web"), null, default);
        var now = time.GetUtcNow();
        await Store.CreateReceiverAsync(new Receiver(monitor.Id, Ids.Sha256Hex("r@example.com"), "r@example.com", ReceiverStatus.Accepted, receiver.AccountId, null, null, now, now, []), default);
        await Store.CreateReceiverAsync(new Receiver(monitor.Id, Ids.Sha256Hex("i@example.com"), "i@example.com", ReceiverStatus.Refused, invited.AccountId, null, null, now, now, []), default);

        Assert.Equal(AccessLevel.Owner, (await access.OfAsync(owner, monitor.Id, default)).Access);
        Assert.Equal(AccessLevel.Receiver, (await access.OfAsync(receiver, monitor.Id, default)).Access);
        Assert.Equal((null, AccessLevel.None), await access.OfAsync(invited, monitor.Id, default));
        Assert.Equal((null, AccessLevel.None), await access.OfAsync(stranger, monitor.Id, default));
        Assert.Equal((null, AccessLevel.None), await access.OfAsync(owner, "m|" + new string('a', 19), default));
        Assert.Equal(RefusalKind.Forbidden, (await Assert.ThrowsAsync<Refusal>(() => access.OwnedAsync(receiver, monitor.Id, default))).Kind);
        Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<Refusal>(() => access.OwnedAsync(stranger, monitor.Id, default))).Kind);

        await Monitors.UpdateAsync(owner, monitor.Id, Body("""{"public":true}"""), default);
        Assert.Equal(AccessLevel.Public, (await access.OfAsync(stranger, monitor.Id, default)).Access);
        Assert.Equal(AccessLevel.Receiver, (await access.OfAsync(receiver, monitor.Id, default)).Access);

        Assert.Equal([(monitor.Id, AccessLevel.Receiver)], (await Monitors.ListAsync(receiver, default)).Select(l => (l.Monitor.Id, l.Access)));
        Assert.Empty(await Monitors.ListAsync(invited, default));
        Assert.Empty(await Monitors.ListAsync(stranger, default));
    }

    [Fact]
    public async Task The_list_is_own_and_received_monitors_by_creation_time_then_id()
    {
        var me = Caller();
        var other = Caller();
        var (own1, _) = await Monitors.CreateAsync(me, Web("Own 1"), null, default);
        time.Advance(TimeSpan.FromMinutes(1));
        var (received, _) = await Monitors.CreateAsync(other, Web("Theirs"), null, default);
        var (own2, _) = await Monitors.CreateAsync(me, Web("Own 2"), null, default);
        var now = time.GetUtcNow();
        await Store.CreateReceiverAsync(new Receiver(received.Id, Ids.Sha256Hex("me@example.com"), "me@example.com", ReceiverStatus.Accepted, me.AccountId, null, null, now, now, []), default);

        var listed = await Monitors.ListAsync(me, default);

        var sameMinute = new[] { received.Id, own2.Id }.Order(StringComparer.Ordinal);
        Assert.Equal([own1.Id, .. sameMinute], listed.Select(l => l.Monitor.Id));
        Assert.Equal(AccessLevel.Receiver, listed.Single(l => l.Monitor.Id == received.Id).Access);
    }

    private static Caller Caller() => new(Ids.New(Ids.Account), Ids.New(Ids.Key), false);

    private static JsonElement Web(string name, string? escalation = null) =>
        Body($$"""{"name":"{{name}}","type":"https","target":"https://example.com/","intervalMinutes":5{{(escalation is null ? "" : $",\"escalation\":{escalation}")}}}""");

    private static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
