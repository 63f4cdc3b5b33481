using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>The monitors table on Azurite: rows, indexes, ETag-conditional writes, the probe cycle's scan.</summary>
public sealed class MonitorStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private ServiceProvider services = null!;

    public async Task InitializeAsync() => services = await CoreAccounts.StartAsync(azurite.ConnectionString, new FakeTimeProvider(Start));

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_created_monitor_reads_back_whole_and_a_taken_id_is_refused()
    {
        var store = await StoreAsync();
        var monitor = NewMonitor(Ids.New(Ids.Account)) with
        {
            Definition = Definition() with
            {
                Expect = new ProbeExpect { Status = [200, 204], Keyword = "OK" },
                Escalation = [new EscalationStep(0, [Ids.New(Ids.Channel)]), new EscalationStep(30, [Ids.New(Ids.Channel)])],
                Regions = ["eastus", "westeurope"],
                Public = true,
            },
            IdempotencyKeyHash = Ids.Sha256Hex("key-1"),
        };

        Assert.True(await store.CreateAsync(monitor, default));
        Assert.False(await store.CreateAsync(monitor with { Definition = Definition() with { Name = "Other" } }, default));

        var read = await store.GetAsync(monitor.Id, default);
        Assert.NotNull(read);
        Assert.NotEqual(default, read.ETag);
        Assert.Equal(Json(monitor with { ETag = default }), Json(read with { ETag = default }));
        Assert.Null(await store.GetAsync(Ids.New(Ids.Monitor), default));
    }

    [Fact]
    public async Task Monitors_are_listed_by_owner_oldest_first_and_read_many_skips_missing_ids()
    {
        var store = await StoreAsync();
        var owner = Ids.New(Ids.Account);
        var later = NewMonitor(owner, Start.AddMinutes(5));
        var earlier = NewMonitor(owner, Start);
        var someoneElse = NewMonitor(Ids.New(Ids.Account));
        foreach (var m in new[] { later, earlier, someoneElse })
        {
            Assert.True(await store.CreateAsync(m, default));
        }

        Assert.Equal([earlier.Id, later.Id], (await store.ListByOwnerAsync(owner, default)).Select(m => m.Id));
        Assert.Equal(2, await store.CountByOwnerAsync(owner, default));
        Assert.Equal([later.Id, someoneElse.Id], (await store.GetManyAsync([later.Id, Ids.New(Ids.Monitor), someoneElse.Id], default)).Select(m => m.Id));
    }

    [Fact]
    public async Task A_config_update_needs_the_etag_it_read_and_leaves_the_state_alone()
    {
        var store = await StoreAsync();
        var monitor = NewMonitor(Ids.New(Ids.Account));
        await store.CreateAsync(monitor, default);
        var read = (await store.GetAsync(monitor.Id, default))!;

        Assert.True(await store.SetStateAsync(monitor.Id, MonitorState.Down, Start.AddMinutes(1), read.ETag, default));
        Assert.False(await store.UpdateConfigAsync(read, read.Definition with { Name = "Stale" }, Start.AddMinutes(2), default));

        var fresh = (await store.GetAsync(monitor.Id, default))!;
        Assert.True(await store.UpdateConfigAsync(fresh, fresh.Definition with { Name = "Renamed", Paused = true }, Start.AddMinutes(2), default));
        var updated = (await store.GetAsync(monitor.Id, default))!;
        Assert.Equal("Renamed", updated.Definition.Name);
        Assert.True(updated.Definition.Paused);
        Assert.Equal(Start.AddMinutes(2), updated.UpdatedAt);
        Assert.Equal(MonitorState.Down, updated.State);
        Assert.Equal(Start.AddMinutes(1), updated.StateChangedAt);
        Assert.Equal(monitor.CreatedAt, updated.CreatedAt);
    }

    [Fact]
    public async Task A_state_write_needs_the_etag_it_read_and_fails_for_a_deleted_monitor()
    {
        var store = await StoreAsync();
        var monitor = NewMonitor(Ids.New(Ids.Account));
        await store.CreateAsync(monitor, default);
        var read = (await store.GetAsync(monitor.Id, default))!;
        Assert.True(await store.UpdateConfigAsync(read, read.Definition with { Name = "Edited" }, Start, default));

        Assert.False(await store.SetStateAsync(monitor.Id, MonitorState.Up, Start, read.ETag, default));
        var fresh = (await store.GetAsync(monitor.Id, default))!;
        Assert.True(await store.SetStateAsync(monitor.Id, MonitorState.Up, Start, fresh.ETag, default));

        await store.DeleteAsync(fresh, Start, default);
        Assert.False(await store.SetStateAsync(monitor.Id, MonitorState.Down, Start, fresh.ETag, default));
        Assert.Null(await store.GetAsync(monitor.Id, default));
    }

    [Fact]
    public async Task The_scheduled_scan_returns_every_monitor_with_what_probing_needs_and_an_etag_for_the_state_write()
    {
        var store = await StoreAsync();
        var monitors = Enumerable.Range(0, 3).Select(i => NewMonitor(Ids.New(Ids.Account), Start.AddMinutes(i)) with
        {
            Definition = Definition() with { Regions = i == 0 ? null : ["eastus"], Paused = i == 2, Expect = new ProbeExpect { Keyword = $"k{i}" } },
        }).ToList();
        foreach (var m in monitors)
        {
            await store.CreateAsync(m, default);
        }

        var scheduled = new List<ScheduledMonitor>();
        await foreach (var page in store.ListScheduledAsync(default))
        {
            scheduled.AddRange(page);
        }

        foreach (var m in monitors)
        {
            var s = Assert.Single(scheduled, s => s.Id == m.Id);
            Assert.Equal(m.Definition.Type, s.Type);
            Assert.Equal(m.Definition.Target, s.Target);
            Assert.Equal(m.Definition.IntervalMinutes, s.IntervalMinutes);
            Assert.Equal(m.Definition.TimeoutSeconds, s.TimeoutSeconds);
            Assert.Equal(m.Definition.Expect.Keyword, s.Expect.Keyword);
            Assert.Equal(m.Definition.Regions, s.Regions);
            Assert.Equal(m.Definition.Paused, s.Paused);
            Assert.Equal(MonitorState.Unknown, s.State);
            Assert.Equal(m.CreatedAt, s.CreatedAt);
            Assert.True(await store.SetStateAsync(s.Id, MonitorState.Up, Start, s.ETag, default));
        }
    }

    [Fact]
    public async Task Receivers_are_stored_per_monitor_and_indexed_by_address_and_answering_account()
    {
        var store = await StoreAsync();
        var monitor = NewMonitor(Ids.New(Ids.Account));
        await store.CreateAsync(monitor, default);
        var hash = Ids.Sha256Hex($"{Guid.NewGuid():N}@example.com");
        var invited = new Receiver(monitor.Id, hash, "friend@example.com", ReceiverStatus.Invited, null, null, null, Start, null, [Start]);

        Assert.True(await store.CreateReceiverAsync(invited, default));
        Assert.False(await store.CreateReceiverAsync(invited, default));
        Assert.Equal([monitor.Id], await store.ListInvitedIdsAsync(hash, default));

        var read = (await store.GetReceiverAsync(monitor.Id, hash, default))!;
        Assert.Equal(Json(invited), Json(read with { ETag = default }));
        var account = Ids.New(Ids.Account);
        var accepted = read with
        {
            Status = ReceiverStatus.Accepted,
            AccountId = account,
            Escalation = [new EscalationStep(10, [Ids.New(Ids.Channel)])],
            RepeatMinutes = 60,
            RespondedAt = Start.AddHours(1),
        };
        Assert.True(await store.UpdateReceiverAsync(accepted, default));
        Assert.False(await store.UpdateReceiverAsync(accepted with { Status = ReceiverStatus.Refused }, default));
        Assert.Equal([monitor.Id], await store.ListReceivingIdsAsync(account, default));

        var (withMonitor, receivers) = (await store.GetWithReceiversAsync(monitor.Id, default))!.Value;
        Assert.Equal(monitor.Id, withMonitor.Id);
        Assert.Equal(Json(accepted with { ETag = default }), Json(Assert.Single(receivers) with { ETag = default }));
        Assert.Equal(Json(receivers), Json(await store.ListReceiversAsync(monitor.Id, default)));

        await store.DeleteReceiverAsync(receivers[0], default);
        Assert.Null(await store.GetReceiverAsync(monitor.Id, hash, default));
        Assert.Empty(await store.ListInvitedIdsAsync(hash, default));
        Assert.Empty(await store.ListReceivingIdsAsync(account, default));
    }

    [Fact]
    public async Task Deleting_a_monitor_removes_its_receivers_and_pointers_and_spends_its_idempotency_key()
    {
        var store = await StoreAsync();
        var owner = Ids.New(Ids.Account);
        var keyHash = Ids.Sha256Hex("retry-me");
        var monitor = NewMonitor(owner) with { IdempotencyKeyHash = keyHash };
        var claim = new IdempotencyRecord(owner, keyHash, monitor.Id, "request", Start, null);
        Assert.True(await store.ClaimIdempotencyAsync(claim, default));
        Assert.False(await store.ClaimIdempotencyAsync(claim, default));
        await store.CreateAsync(monitor, default);
        var receiverAccount = Ids.New(Ids.Account);
        var emailHash = Ids.Sha256Hex($"{Guid.NewGuid():N}@example.com");
        await store.CreateReceiverAsync(new Receiver(monitor.Id, emailHash, "r@example.com", ReceiverStatus.Accepted, receiverAccount, null, null, Start, Start, []), default);

        await store.DeleteAsync((await store.GetAsync(monitor.Id, default))!, Start.AddHours(1), default);

        Assert.Null(await store.GetWithReceiversAsync(monitor.Id, default));
        Assert.Empty(await store.ListByOwnerAsync(owner, default));
        Assert.Equal(0, await store.CountByOwnerAsync(owner, default));
        Assert.Empty(await store.ListReceivingIdsAsync(receiverAccount, default));
        Assert.Empty(await store.ListInvitedIdsAsync(emailHash, default));
        var spent = (await store.GetIdempotencyAsync(owner, keyHash, default))!;
        Assert.Equal(monitor.Id, spent.MonitorId);
        Assert.Equal(Start.AddHours(1), spent.DeletedAt);
    }

    [Fact]
    public async Task An_expired_idempotency_record_is_replaced_only_under_its_etag_and_can_be_pruned()
    {
        var store = await StoreAsync();
        var owner = Ids.New(Ids.Account);
        var first = new IdempotencyRecord(owner, Ids.Sha256Hex("k"), Ids.New(Ids.Monitor), "one", Start, null);
        await store.ClaimIdempotencyAsync(first, default);
        var read = (await store.GetIdempotencyAsync(owner, first.KeyHash, default))!;

        var second = read with { MonitorId = Ids.New(Ids.Monitor), RequestHash = "two", CreatedAt = Start.AddDays(2) };
        Assert.True(await store.ClaimIdempotencyAsync(second, default));
        Assert.False(await store.ClaimIdempotencyAsync(read with { RequestHash = "three" }, default));
        Assert.Equal("two", (await store.GetIdempotencyAsync(owner, first.KeyHash, default))!.RequestHash);

        await store.DeleteIdempotencyAsync(read, default);
        Assert.NotNull(await store.GetIdempotencyAsync(owner, first.KeyHash, default));
        var listed = Assert.Single(await store.ListIdempotencyAsync(owner, default));
        await store.DeleteIdempotencyAsync(listed, default);
        Assert.Empty(await store.ListIdempotencyAsync(owner, default));
    }

    private Task<MonitorStore> StoreAsync() => Task.FromResult(services.GetRequiredService<MonitorStore>());

    private static MonitorDefinition Definition() =>
        new("Web", ProbeType.Https, "https://example.com/", 5, 10, ProbeExpect.None, 2, null, 15, 1, false, null, false);

    private static MonitorRecord NewMonitor(string owner, DateTimeOffset? created = null) =>
        new(Ids.New(Ids.Monitor), owner, Definition(), MonitorState.Unknown, null, created ?? Start, created ?? Start);

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value);
}
