using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// Certificate warnings on Azurite with the app's own sender and outbox: once per certificate and
/// destination, again for a renewed one, cleared when the certificate no longer expires soon,
/// nothing for paused monitors or removed channels, and one monitor's trouble stops no other.
/// </summary>
public sealed class CertificateNoticesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset ExpiresAt = WatchedClock.Noon.AddDays(5).AddHours(3);
    private DeliveryHarness app = null!;

    private MonitorStore Monitors => app.Services.GetRequiredService<MonitorStore>();

    private AccountStore Accounts => app.Services.GetRequiredService<AccountStore>();

    private CertificateNotices Notices => app.Services.GetRequiredService<CertificateNotices>();

    public async Task InitializeAsync() => app = await DeliveryHarness.StartAsync(azurite.ConnectionString);

    public Task DisposeAsync() => app.DisposeAsync().AsTask();

    [Fact]
    public async Task A_new_certificate_is_warned_about_once_per_destination_even_when_two_runs_race_and_not_again_next_minute()
    {
        var (monitor, owner) = await MonitorAsync();
        var warning = Warning('A');

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ => await Notices.RunAsync([Report(new ProbeOutcome(monitor, null, warning))], Scanned(await ScanAsync()), default)));
        Assert.InRange(runs.Sum(), 1, 2);
        Assert.Equal([$"{owner}-first@example.com", $"{owner}-second@example.com"], (await WarningsAsync(owner)).Select(m => (string)m["to"]!).Order(StringComparer.Ordinal));

        var recorded = (await Monitors.GetAsync(monitor, default))!.Certificate;
        Assert.Equal(new WarnedCertificate(warning.Sha256, 5, ExpiresAt, "CN=localhost", WatchedClock.Noon), recorded);

        // Next minute, the same certificate a day closer: nobody is told again; what the monitor shows follows.
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await Notices.RunAsync([Report(new ProbeOutcome(monitor, null, warning with { DaysLeft = 4 }))], Scanned(await ScanAsync()), default));
        Assert.Equal(2, (await WarningsAsync(owner)).Count);
        Assert.Equal(recorded! with { DaysLeft = 4 }, (await Monitors.GetAsync(monitor, default))!.Certificate);
    }

    [Fact]
    public async Task A_renewed_certificate_that_expires_soon_too_is_warned_about_again_and_one_that_does_not_clears_the_warning()
    {
        var (monitor, owner) = await MonitorAsync(channels: 1);
        await Notices.RunAsync([Report(new ProbeOutcome(monitor, null, Warning('A')))], Scanned(await ScanAsync()), default);

        Assert.Equal(1, await Notices.RunAsync([Report(new ProbeOutcome(monitor, null, Warning('B')))], Scanned(await ScanAsync()), default));
        var messages = await WarningsAsync(owner);
        Assert.Equal(2, messages.Count);
        Assert.Contains(new string('B', 64), (string)messages[1]["body"]!, StringComparison.Ordinal);
        Assert.Equal(new string('B', 64), (await Monitors.GetAsync(monitor, default))!.Certificate!.Sha256);

        // A failing probe without a warning proves nothing about the certificate: it stays.
        await Notices.RunAsync([Report(new ProbeOutcome(monitor, new ProbeError(ErrorClass.Connect, "refused", "ECONNREFUSED")))], Scanned(await ScanAsync()), default);
        Assert.NotNull((await Monitors.GetAsync(monitor, default))!.Certificate);

        // Renewed for a year: one region's passing probe without a warning clears it, and sends nothing.
        await Notices.RunAsync([Report(new ProbeOutcome(monitor, null)), Report(new ProbeOutcome(monitor, new ProbeError(ErrorClass.Timeout, "slow")), "east")], Scanned(await ScanAsync()), default);
        Assert.Null((await Monitors.GetAsync(monitor, default))!.Certificate);
        Assert.Null((await ScanAsync()).Single(m => m.Id == monitor).WarnedSha256);
        Assert.Equal(2, (await WarningsAsync(owner)).Count);
    }

    [Fact]
    public async Task The_region_with_the_fewest_days_left_decides_which_certificate_is_warned_about()
    {
        var (monitor, owner) = await MonitorAsync(channels: 1);

        await Notices.RunAsync([Report(new ProbeOutcome(monitor, null, Warning('A'))), Report(new ProbeOutcome(monitor, null, Warning('B') with { DaysLeft = 2 }), "east")], Scanned(await ScanAsync()), default);

        Assert.Equal((new string('B', 64), 2), ((await Monitors.GetAsync(monitor, default))!.Certificate!.Sha256, (await Monitors.GetAsync(monitor, default))!.Certificate!.DaysLeft));
        Assert.Contains("expires in 2 days", (string)Assert.Single(await WarningsAsync(owner))["subject"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_warning_goes_to_the_earliest_step_of_the_escalation_only_and_never_to_a_removed_channel()
    {
        var owner = Ids.New(Ids.Account);
        var first = await ChannelAsync(owner, "first");
        var later = await ChannelAsync(owner, "later");
        var removed = await ChannelAsync(owner, "removed");
        var monitor = await StoreMonitorAsync(owner, escalation: [new EscalationStep(5, [first, removed]), new EscalationStep(30, [later])]);
        Assert.True(await Accounts.DeleteChannelAsync(owner, removed, default));

        await Notices.RunAsync([Report(new ProbeOutcome(monitor, null, Warning('A')))], Scanned(await ScanAsync()), default);

        Assert.Equal([$"{owner}-first@example.com"], (await WarningsAsync(owner)).Select(m => (string)m["to"]!));
    }

    [Fact]
    public async Task A_paused_or_deleted_monitor_gets_nothing_and_one_monitors_trouble_stops_no_other()
    {
        var (paused, pausedOwner) = await MonitorAsync(channels: 1, paused: true);
        var (deleted, deletedOwner) = await MonitorAsync(channels: 1);
        var (healthy, healthyOwner) = await MonitorAsync(channels: 1);
        var scan = await ScanAsync();
        await Monitors.DeleteAsync((await Monitors.GetAsync(deleted, default))!, WatchedClock.Noon, default);

        // A row the store cannot even address comes first: its failure is logged, the others go on.
        var broken = scan.Single(m => m.Id == healthy) with { Id = "m|broken" };
        var outcomes = new[] { paused, deleted, healthy, "m|broken" }.Select(id => new ProbeOutcome(id, null, Warning('A'))).ToList();
        var warned = await Notices.RunAsync([new RegionReport("west", [], outcomes)], Scanned(scan.Prepend(broken)), default);

        Assert.Equal(1, warned);
        Assert.Empty(await WarningsAsync(pausedOwner));
        Assert.Empty(await WarningsAsync(deletedOwner));
        Assert.Single(await WarningsAsync(healthyOwner));
        Assert.Null((await Monitors.GetAsync(paused, default))!.Certificate);
    }

    [Fact]
    public async Task A_run_warns_about_a_bounded_number_of_monitors_and_the_next_minute_carries_on()
    {
        var owner = Ids.New(Ids.Account);
        var ids = new List<string>();
        for (var i = 0; i <= CertificateNotices.MaxWarnedPerRun; i++)
        {
            ids.Add(await StoreMonitorAsync(owner));
        }

        var report = new RegionReport("west", [], ids.Select(id => new ProbeOutcome(id, null, Warning('A'))).ToList());
        var scan = (await ScanAsync()).Where(m => ids.Contains(m.Id)).ToList();

        Assert.Equal(CertificateNotices.MaxWarnedPerRun, await Notices.RunAsync([report], Scanned(scan), default));
        Assert.Equal(1, await Notices.RunAsync([report], Scanned((await ScanAsync()).Where(m => ids.Contains(m.Id))), default));
        Assert.Equal(0, await Notices.RunAsync([report], Scanned((await ScanAsync()).Where(m => ids.Contains(m.Id))), default));
    }

    private static CertificateWarning Warning(char sha) => new(5, ExpiresAt, "CN=localhost", new string(sha, 64), 14);

    private static RegionReport Report(ProbeOutcome outcome, string region = "west") => new(region, [], [outcome]);

    private async Task<(string Monitor, string Owner)> MonitorAsync(int channels = 2, bool paused = false)
    {
        var owner = Ids.New(Ids.Account);
        foreach (var name in new[] { "first", "second" }.Take(channels))
        {
            await ChannelAsync(owner, name);
        }

        return (await StoreMonitorAsync(owner, paused: paused), owner);
    }

    private async Task<string> ChannelAsync(string owner, string name)
    {
        var address = $"{owner}-{name}@example.com";
        var id = AccountChannels.IdFor(owner, ChannelKind.Email, address);
        Assert.True(await Accounts.SaveChannelAsync(new Channel(id, owner, ChannelKind.Email, address, ChannelStatus.Verified, WatchedClock.Noon, WatchedClock.Noon, null, null, [], default), default));
        return id;
    }

    private async Task<string> StoreMonitorAsync(string owner, IReadOnlyList<EscalationStep>? escalation = null, bool paused = false)
    {
        var id = Ids.New(Ids.Monitor);
        var definition = new MonitorDefinition("Shop", ProbeType.Https, "https://localhost/", 1, 5, ProbeExpect.None, 2, escalation, 15, 1, false, null, paused);
        Assert.True(await Monitors.CreateAsync(new MonitorRecord(id, owner, definition, MonitorState.Up, null, WatchedClock.Noon, WatchedClock.Noon), default));
        return id;
    }

    /// <summary>What a cycle's scan carries to the verdict step: paused monitors are never probed, so never carried.</summary>
    private static Dictionary<string, ScannedState?> Scanned(IEnumerable<ScheduledMonitor> scan) =>
        scan.Where(m => !m.Paused).ToDictionary(m => m.Id, m => (ScannedState?)ScannedState.Of(m), StringComparer.Ordinal);

    private async Task<List<ScheduledMonitor>> ScanAsync()
    {
        var scanned = new List<ScheduledMonitor>();
        await foreach (var page in Monitors.ListScheduledAsync(default))
        {
            scanned.AddRange(page);
        }

        return scanned;
    }

    /// <summary>The certificate warnings in the outbox to this account's addresses, oldest first.</summary>
    private async Task<List<JsonNode>> WarningsAsync(string owner) =>
        !File.Exists(app.OutboxFile)
            ? []
            : (await File.ReadAllLinesAsync(app.OutboxFile))
                .Select(line => JsonNode.Parse(line)!)
                .Where(m => ((string?)m["to"])?.StartsWith(owner, StringComparison.Ordinal) == true && ((string?)m["subject"])?.StartsWith("CERTIFICATE:", StringComparison.Ordinal) == true)
                .ToList();
}
