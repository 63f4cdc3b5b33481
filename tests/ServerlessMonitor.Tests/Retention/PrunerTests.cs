using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Retention;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;
using ServerlessMonitor.Functions.Retention;
using ServerlessMonitor.Tests.Monitors;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Retention;

/// <summary>
/// The daily retention over a test's own Azurite: rows seeded old and new through the stores,
/// on a clock the test moves; exactly the old ones go, a second run changes nothing, and a run
/// stopped halfway is finished by the next (docs/RETENTION.md).
/// </summary>
public sealed class PrunerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 30, 0, TimeSpan.Zero);

    /// <summary>When the pruner runs: everything made at T0 is past every keep, deliveries' 30 days included.</summary>
    private static readonly DateTimeOffset Later = T0.AddDays(40);

    private readonly FakeTimeProvider clock = new(T0);
    private ServiceProvider app = null!;

    public async Task InitializeAsync() => app = await CoreMonitors.StartAsync(azurite.ConnectionString, clock, new FakeOwnChannels(), new() { [Core.Settings.SettingCatalog.TokenSecret] = Accounts.AccountsRuntime.TokenSecret });

    public async Task DisposeAsync() => await app.DisposeAsync();

    private T Get<T>()
        where T : notnull => app.GetRequiredService<T>();

    [Fact]
    public async Task Deletes_exactly_what_is_past_its_keep_and_a_second_run_changes_nothing()
    {
        var old = await SeedAsync("old");
        clock.SetUtcNow(Later.AddMinutes(-10));
        var young = await SeedAsync("young");
        clock.SetUtcNow(Later);

        var first = await Get<Pruner>().RunAsync(Pruner.RowsPerRound, default);

        Assert.True(first.Finished);
        await AssertGoneAsync(old);
        await AssertKeptAsync(young);
        await AssertKeptAsync(old.Survivors);
        var snapshot = await SnapshotAsync();

        var second = await Get<Pruner>().RunAsync(Pruner.RowsPerRound, default);

        Assert.True(second.Finished);
        Assert.Equal(0, second.Total);
        Assert.Equal(snapshot, await SnapshotAsync());
    }

    [Fact]
    public async Task A_run_stopped_halfway_leaves_the_rest_for_the_next_which_finishes_it()
    {
        var old = await SeedAsync("old");
        await ResultsAsync(old.DeletedMonitor, 250, T0);
        clock.SetUtcNow(Later.AddMinutes(-10));
        var young = await SeedAsync("young");
        clock.SetUtcNow(Later);

        var halfway = await Get<Pruner>().RunAsync(100, default);

        Assert.False(halfway.Finished);
        Assert.InRange(halfway.Total, 1, 100);
        Assert.NotNull(await MonitorRowAsync("deleted", old.DeletedMonitor));

        // About 260 rows were due: three rounds of 100.
        var rounds = 1;
        PruneReport round;
        do
        {
            round = await Get<Pruner>().RunAsync(100, default);
            Assert.True(++rounds < 20, "the rounds never finished");
        }
        while (!round.Finished);

        Assert.Equal(3, rounds);
        await AssertGoneAsync(old);
        await AssertKeptAsync(young);
        await AssertKeptAsync(old.Survivors);
    }

    [Fact]
    public async Task A_backlog_larger_than_a_round_continues_on_the_retention_rounds_queue()
    {
        var old = await SeedAsync("old");
        await ResultsAsync(old.DeletedMonitor, Pruner.RowsPerRound + 1, T0);
        clock.SetUtcNow(Later);
        var queue = Get<StorageClients>().Queue(StorageNames.RetentionRounds);
        await queue.ClearMessagesAsync();

        await Get<RetentionRounds>().RunAsync(1, default);

        Assert.NotNull(await MonitorRowAsync("deleted", old.DeletedMonitor));
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var next = await Eventually.Get(async () => (await queue.ReceiveMessagesAsync(maxMessages: 1)).Value.FirstOrDefault(), TimeSpan.FromSeconds(30), "the next round's message");
        Assert.Equal("2", next.Body.ToString());

        // What the queue trigger does with it; the message is done once it returns.
        await new RetentionRoundFunction(Get<RetentionRounds>(), NullLogger<RetentionRoundFunction>.Instance).Run(next.Body.ToString(), default);
        await queue.DeleteMessageAsync(next.MessageId, next.PopReceipt);

        await AssertGoneAsync(old);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    /// <summary>One of every kind of row retention looks at, made now; <see cref="Seeded.Survivors"/> are made now too but never expire.</summary>
    private async Task<Seeded> SeedAsync(string tag)
    {
        var now = clock.GetUtcNow();
        var accounts = Get<AccountStore>();

        var (confirmation, _) = await Get<ConfirmationLinks>().CreateAsync(ConfirmationKind.Account, Ids.New(Ids.Account), default);

        var pending = Ids.New(Ids.Account);
        var pendingEmail = $"{tag}-pending-{Guid.NewGuid():N}@example.com";
        Assert.True(await accounts.SaveEmailIndexAsync(new EmailIndex(Ids.Sha256Hex(pendingEmail), pending, [now], default), default));
        await accounts.EnsurePendingAsync(pending, pendingEmail, null, now, now + ConfirmationLinks.Lifetime, default);

        var active = Ids.New(Ids.Account);
        var activeEmail = $"{tag}-active-{Guid.NewGuid():N}@example.com";
        Assert.True(await accounts.SaveEmailIndexAsync(new EmailIndex(Ids.Sha256Hex(activeEmail), active, [now], default), default));
        var activeProfile = await accounts.EnsurePendingAsync(active, activeEmail, null, now, now + ConfirmationLinks.Lifetime, default);
        var (_, key) = ApiKey.Generate(active);
        Assert.True(await accounts.ActivateAsync(activeProfile, AccountChannels.IdFor(active, ChannelKind.Email, activeEmail), new KeyRecord(key.KeyId, active, key.Hash, false, "first key", now), now, default));

        var pendingChannel = await ChannelAsync(active, $"{tag}-pending-channel@example.com", verified: false);
        var verifiedChannel = await ChannelAsync(active, $"{tag}-verified-channel@example.com", verified: true);

        var network = $"{tag}-net-{Guid.NewGuid():N}";
        Assert.True(await accounts.SaveSignupTimesAsync(network, [now], default, default));

        var owner = new Caller(active, key.KeyId, false);
        var idempotencyKey = IdempotencyKey.Parse($"{tag}-{Guid.NewGuid():N}")!;
        var (kept, _) = await Get<MonitorService>().CreateAsync(owner, Body($"{tag} kept"), idempotencyKey, default);
        var (deleted, _) = await Get<MonitorService>().CreateAsync(owner, Body($"{tag} deleted"), null, default);
        foreach (var monitor in new[] { kept.Id, deleted.Id })
        {
            await ResultsAsync(monitor, 3, now);
            await Get<RollupStore>().WriteAsync([new HourRollup(monitor, SendingBudget.HourOf(now), 3, 0, 1, 1, 1, 1, new Dictionary<string, int> { ["west"] = 3 })], default);
            await IncidentAsync(monitor, now);
            await Get<UptimeStore>().AddAsync(monitor, new Dictionary<UptimeKind, SpanSet> { [UptimeKind.Down] = SpanSet.Of(Span.Of(now.AddHours(-2), now.AddHours(-1))) }, default);
            await Get<UptimeRecorder>().PausedAsync(monitor, now, default);
        }

        await Get<MonitorService>().DeleteAsync(owner, deleted.Id, default);

        var sent = $"confirmation:{tag}-{Guid.NewGuid():N}";
        Assert.IsType<DeliveryOutcome.Sent>(await Get<IMessageSender>().SendAsync(new OutgoingMessage(ChannelKind.Email, "someone@example.com", "hello"), sent, default));
        await Get<DeliveryStore>().SaveBudgetUseAsync(ChannelKind.Email, SendingBudget.HourOf(now), new BudgetUse(0, 1), default, default);

        return new Seeded(
            confirmation.Id,
            pending,
            Ids.Sha256Hex(pendingEmail),
            pendingChannel,
            network,
            idempotencyKey.Hash,
            SendingBudget.HourOf(now),
            DeliveryIds.For(sent),
            deleted.Id,
            new Survivors(active, Ids.Sha256Hex(activeEmail), verifiedChannel, kept.Id));
    }

    private async Task AssertGoneAsync(Seeded s)
    {
        var accounts = Get<AccountStore>();
        Assert.Null(await Get<ConfirmationStore>().GetAsync(s.Confirmation, default));
        Assert.Null(await accounts.GetProfileAsync(s.PendingAccount, default));
        Assert.Null(await accounts.GetEmailIndexAsync(s.PendingEmailHash, default));
        Assert.Null(await accounts.GetChannelAsync(s.Survivors.ActiveAccount, s.PendingChannel, default));
        Assert.Empty((await accounts.GetSignupTimesAsync(s.Network, default)).Times);
        Assert.Null(await Get<MonitorStore>().GetIdempotencyAsync(s.Survivors.ActiveAccount, s.IdempotencyKeyHash, default));
        Assert.Equal(0, (await Get<DeliveryStore>().GetBudgetUseAsync(ChannelKind.Email, s.BudgetHour, default)).Use.Total);
        Assert.Null(await Get<DeliveryStore>().GetAsync(s.Delivery, default));
        Assert.Empty(await RowsAsync(StorageNames.Deliveries, $"RowKey eq '{s.Delivery}'"));
        Assert.Empty(await Get<ResultStore>().RangeAsync(s.DeletedMonitor, DateTimeOffset.UnixEpoch, Later, null, 5000, default));
        Assert.Empty(await Get<RollupStore>().RangeAsync(s.DeletedMonitor, DateTimeOffset.UnixEpoch, Later, default));
        Assert.Empty(await RowsAsync(StorageNames.Incidents, $"PartitionKey eq '{s.DeletedMonitor}'"));
        Assert.Empty(await RowsAsync(StorageNames.Uptime, $"PartitionKey eq '{s.DeletedMonitor}'"));
        Assert.Null(await MonitorRowAsync("deleted", s.DeletedMonitor));
    }

    private async Task AssertKeptAsync(Seeded s)
    {
        var accounts = Get<AccountStore>();
        Assert.NotNull(await Get<ConfirmationStore>().GetAsync(s.Confirmation, default));
        Assert.Equal(AccountStatus.Pending, (await accounts.GetProfileAsync(s.PendingAccount, default))?.Status);
        Assert.NotNull(await accounts.GetEmailIndexAsync(s.PendingEmailHash, default));
        Assert.NotNull(await accounts.GetChannelAsync(s.Survivors.ActiveAccount, s.PendingChannel, default));
        Assert.NotEmpty((await accounts.GetSignupTimesAsync(s.Network, default)).Times);
        Assert.NotNull(await Get<MonitorStore>().GetIdempotencyAsync(s.Survivors.ActiveAccount, s.IdempotencyKeyHash, default));
        Assert.Equal(1, (await Get<DeliveryStore>().GetBudgetUseAsync(ChannelKind.Email, s.BudgetHour, default)).Use.Total);
        Assert.NotNull(await Get<DeliveryStore>().GetAsync(s.Delivery, default));

        // Deleted within the last day: its history waits (its incident may still be ending).
        Assert.Equal(3, (await Get<ResultStore>().RangeAsync(s.DeletedMonitor, DateTimeOffset.UnixEpoch, Later, null, 5000, default)).Count);
        Assert.Single(await Get<RollupStore>().RangeAsync(s.DeletedMonitor, DateTimeOffset.UnixEpoch, Later, default));
        Assert.Equal(3, (await RowsAsync(StorageNames.Incidents, $"PartitionKey eq '{s.DeletedMonitor}'")).Count);
        Assert.Equal(2, (await RowsAsync(StorageNames.Uptime, $"PartitionKey eq '{s.DeletedMonitor}'")).Count);
        Assert.NotNull(await MonitorRowAsync("deleted", s.DeletedMonitor));
    }

    private async Task AssertKeptAsync(Survivors s)
    {
        var accounts = Get<AccountStore>();
        Assert.Equal(AccountStatus.Active, (await accounts.GetProfileAsync(s.ActiveAccount, default))?.Status);
        Assert.Equal(s.ActiveAccount, (await accounts.GetEmailIndexAsync(s.ActiveEmailHash, default))?.AccountId);
        Assert.NotNull(await accounts.GetChannelAsync(s.ActiveAccount, s.VerifiedChannel, default));
        Assert.NotNull(await Get<MonitorStore>().GetAsync(s.LiveMonitor, default));
        Assert.Equal(3, (await Get<ResultStore>().RangeAsync(s.LiveMonitor, DateTimeOffset.UnixEpoch, Later, null, 5000, default)).Count);
        Assert.Single(await Get<RollupStore>().RangeAsync(s.LiveMonitor, DateTimeOffset.UnixEpoch, Later, default));
        Assert.Equal(3, (await RowsAsync(StorageNames.Incidents, $"PartitionKey eq '{s.LiveMonitor}'")).Count);
        Assert.Equal(2, (await RowsAsync(StorageNames.Uptime, $"PartitionKey eq '{s.LiveMonitor}'")).Count);
    }

    private async Task<string> ChannelAsync(string account, string address, bool verified)
    {
        var now = clock.GetUtcNow();
        var id = AccountChannels.IdFor(account, ChannelKind.Email, address);
        var channel = verified
            ? new Channel(id, account, ChannelKind.Email, address, ChannelStatus.Verified, now, now, null, null, [], default)
            : new Channel(id, account, ChannelKind.Email, address, ChannelStatus.Pending, now, null, now + ConfirmationLinks.Lifetime, null, [now], default);
        Assert.True(await Get<AccountStore>().SaveChannelAsync(channel, default));
        return id;
    }

    private async Task ResultsAsync(string monitorId, int count, DateTimeOffset from) =>
        await Get<ResultStore>().WriteAsync(
            Enumerable.Range(0, count).Select(i => new CycleResult(monitorId, "west", from.AddMinutes(-i), from.AddMinutes(-i), new ProbeResult { Ok = true, Phases = new ProbePhases(null, 1, null, null, 2) })),
            default);

    private async Task IncidentAsync(string monitorId, DateTimeOffset at)
    {
        var minute = at.ToUnixTimeSeconds() / 60;
        var incident = new IncidentRecord(IncidentIds.Of(monitorId, minute), monitorId, new AlertedMonitor(monitorId, "Web", ProbeType.Https, "https://example.com/"), minute, at, IncidentStatus.Pending, null, null);
        Assert.True(await Get<IncidentStore>().CreateAsync(incident, default));
        await Get<IncidentStore>().PutTimelineAsync(incident.Id, at, [new TimelineEntry(0, TimelineKind.Opened, minute, VerdictOutcome.Fail, ["west"])], default);
        await Get<IncidentStore>().AddNoteAsync(incident.Id, new IncidentNote(at, "a0", "looking"), default);
    }

    private static JsonElement Body(string name) =>
        JsonDocument.Parse(JsonSerializer.Serialize(new { name, type = "https", target = "https://example.com/", intervalMinutes = 5 })).RootElement;

    private async Task<TableEntity?> MonitorRowAsync(string partition, string row)
    {
        var found = await Get<StorageClients>().Table(StorageNames.Monitors).GetEntityIfExistsAsync<TableEntity>(partition, row);
        return found.HasValue ? found.Value : null;
    }

    private async Task<List<TableEntity>> RowsAsync(string table, string filter)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Get<StorageClients>().Table(table).QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Every row of every table but the cycle's own, without ETags and timestamps.</summary>
    private async Task<string> SnapshotAsync()
    {
        var rows = new List<string>();
        foreach (var table in StorageNames.Tables)
        {
            await foreach (var e in Get<StorageClients>().Table(table).QueryAsync<TableEntity>())
            {
                rows.Add($"{table} {e.PartitionKey}/{e.RowKey} " + string.Join(";", e.Keys.Where(k => k is not ("odata.etag" or "Timestamp")).Order().Select(k => $"{k}={e[k]}")));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return string.Join("\n", rows);
    }

    private sealed record Seeded(
        string Confirmation,
        string PendingAccount,
        string PendingEmailHash,
        string PendingChannel,
        string Network,
        string IdempotencyKeyHash,
        DateTimeOffset BudgetHour,
        string Delivery,
        string DeletedMonitor,
        Survivors Survivors);

    private sealed record Survivors(string ActiveAccount, string ActiveEmailHash, string VerifiedChannel, string LiveMonitor);
}
