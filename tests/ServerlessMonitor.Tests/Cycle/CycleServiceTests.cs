using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The cycle's services on Azurite, driven by hand (no timers): two app instances of different
/// regions over one storage account, against real loopback targets.
/// </summary>
public sealed class CycleServiceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly TcpListener canary = new(IPAddress.Loopback, 0);
    private ServiceProvider east = null!;
    private ServiceProvider west = null!;

    public async Task InitializeAsync()
    {
        canary.Start();
        east = await Instance("east");
        west = await Instance("west");
    }

    public async Task DisposeAsync()
    {
        await east.DisposeAsync();
        await west.DisposeAsync();
        canary.Dispose();
    }

    [Fact]
    public async Task A_repeated_timer_run_probes_nothing_and_writes_no_result_twice()
    {
        await using var server = new HttpTestServer();
        var monitor = await CycleMonitors.AddAsync(east.GetRequiredService<MonitorStore>(), ProbeType.Http, server.Url + "/");
        var minute = NextMinute();

        var first = await east.GetRequiredService<ProbeCycle>().RunAsync(minute, default);
        var again = await east.GetRequiredService<ProbeCycle>().RunAsync(minute, default);

        Assert.NotNull(first);
        Assert.Null(again);
        Assert.Equal(1, server.Requests.Count(r => r == "/"));
        var results = await Results(monitor, minute);
        Assert.True(Assert.Single(results).Probe.Ok);
        var cycle = await east.GetRequiredService<CycleStore>().ReadAsync(minute, default);
        Assert.Equal([new ProbeOutcome(monitor, null) { Scanned = new ScannedState(MonitorState.Unknown) }], cycle.Outcomes["east"].Where(o => o.MonitorId == monitor));
        Assert.All(cycle.Health["east"].Canaries, c => Assert.True(c.Ok));
    }

    [Fact]
    public async Task A_cycle_probes_what_is_due_here_and_leaves_paused_and_elsewhere_monitors_alone()
    {
        await using var server = new HttpTestServer();
        var store = east.GetRequiredService<MonitorStore>();
        var here = await CycleMonitors.AddAsync(store, ProbeType.Http, server.Url + "/here");
        var paused = await CycleMonitors.AddAsync(store, ProbeType.Http, server.Url + "/paused", paused: true);
        var elsewhere = await CycleMonitors.AddAsync(store, ProbeType.Http, server.Url + "/elsewhere", regions: ["west"]);
        var rechecked = await CycleMonitors.AddAsync(store, ProbeType.Http, server.Url + "/rechecked", intervalMinutes: 20);
        await east.GetRequiredService<RecheckStore>().FlagAsync(rechecked, DateTimeOffset.UtcNow, default);
        // The minute a 20-minute monitor is not due in, unless flagged.
        var minute = NextMinute();
        while (DueMonitors.OffsetOf(rechecked, 20) == minute % 20)
        {
            minute++;
        }

        await east.GetRequiredService<ProbeCycle>().RunAsync(minute, default);

        Assert.Single(await Results(here, minute));
        Assert.Single(await Results(rechecked, minute));
        Assert.Empty(await Results(paused, minute));
        Assert.Empty(await Results(elsewhere, minute));
    }

    [Fact]
    public async Task A_shard_sent_twice_writes_its_results_once_and_shards_of_another_region_or_a_past_cycle_are_dropped()
    {
        await using var server = new HttpTestServer();
        var store = east.GetRequiredService<MonitorStore>();
        var monitors = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            monitors.Add(await CycleMonitors.AddAsync(store, ProbeType.Http, $"{server.Url}/shard{i}"));
        }

        var clock = east.GetRequiredService<SchedulingClock>();
        var minute = NextMinute();
        var jobs = monitors.Select(m => new ProbeJob(m, ProbeType.Http, $"{server.Url}/shard{monitors.IndexOf(m)}", 2, ProbeExpect.None)).ToList();
        var shard = new ShardMessage("east", minute, clock.StartOf(minute), east.GetRequiredService<CycleTiming>().DeadlineOf(minute), 4, jobs);
        var shards = east.GetRequiredService<ProbeShards>();

        await shards.ProbeAsync(shard.ToJson(), default);
        await shards.ProbeAsync(shard.ToJson(), default);
        await west.GetRequiredService<ProbeShards>().ProbeAsync(shard.ToJson(), default);
        await shards.ProbeAsync((shard with { Minute = minute + 1, Deadline = DateTimeOffset.UtcNow.AddSeconds(-1) }).ToJson(), default);
        await shards.ProbeAsync("{\"region\":", default);

        foreach (var monitor in monitors)
        {
            Assert.Equal("east", Assert.Single(await Results(monitor, minute)).Region);
            Assert.Empty(await Results(monitor, minute + 1));
        }

        var cycle = await east.GetRequiredService<CycleStore>().ReadAsync(minute, default);
        Assert.Equal(monitors.Order(), cycle.Outcomes["east"].Select(o => o.MonitorId).Order());
        Assert.False(cycle.Outcomes.ContainsKey("west"));
    }

    [Fact]
    public async Task Past_the_budget_due_monitors_go_in_shards_to_the_regions_own_queue()
    {
        var clients = east.GetRequiredService<StorageClients>();
        // Monitors of one result partition: more than a shard holds.
        var jobs = Enumerable.Range(0, 100_000).Select(i => $"m{i:D20}").Where(id => ResultKey.BucketOf(id) == "b07").Take(ProbeShards.MaxJobs + 10)
            .Select(id => new ProbeJob(id, ProbeType.Tcp, "127.0.0.1:9", 1, ProbeExpect.None)).ToList();
        var minute = NextMinute();
        var cycle = new ProbeBatch("east", minute, east.GetRequiredService<SchedulingClock>().StartOf(minute), east.GetRequiredService<CycleTiming>().DeadlineOf(minute), "main", []);

        var sent = await east.GetRequiredService<ProbeShards>().SendAsync(cycle, jobs, default);

        Assert.Equal(2, sent);
        var queue = clients.Queue(StorageNames.ProbeShards("east"));
        var messages = (await queue.ReceiveMessagesAsync(32)).Value.Select(m => ShardMessage.Parse(m.Body.ToString())!).Where(m => m.Minute == minute).OrderBy(m => m.Shard).ToList();
        Assert.Equal([0, 1], messages.Select(m => m.Shard));
        Assert.Equal(jobs, messages.SelectMany(m => m.Jobs));
        Assert.Equal("probe-shards-east", queue.Name);
    }

    [Fact]
    public void A_shard_holds_the_monitors_of_one_result_partition_so_its_results_fill_whole_transactions()
    {
        var jobs = Enumerable.Range(0, 3000).Select(i => new ProbeJob($"m{i:D20}", ProbeType.Tcp, "127.0.0.1:9", 1, ProbeExpect.None)).ToList();

        var shards = ProbeShards.Pack(jobs);

        Assert.All(shards, shard => Assert.Single(shard.Select(j => ResultKey.BucketOf(j.MonitorId)).Distinct()));
        Assert.All(shards, shard => Assert.InRange(shard.Count, 1, ProbeShards.MaxJobs));
        var perBucket = jobs.GroupBy(j => ResultKey.BucketOf(j.MonitorId)).ToList();
        Assert.Equal(perBucket.Sum(b => (b.Count() + ProbeShards.MaxJobs - 1) / ProbeShards.MaxJobs), shards.Count);
        Assert.Equal(jobs.Select(j => j.MonitorId).Order(), shards.SelectMany(s => s).Select(j => j.MonitorId).Order());
    }

    [Fact]
    public async Task Two_instances_deciding_the_same_minute_decide_it_once_and_write_each_changed_state_once()
    {
        var store = east.GetRequiredService<MonitorStore>();
        var down = await CycleMonitors.AddAsync(store, ProbeType.Tcp, "127.0.0.1:9");
        var up = await CycleMonitors.AddAsync(store, ProbeType.Tcp, "127.0.0.1:10");
        var minute = NextMinute();
        await Report(minute, ("east", down, false), ("east", up, true), ("west", down, false), ("west", up, true));

        var decisions = await Task.WhenAll(east.GetRequiredService<VerdictStep>().DecideAsync(minute, default), west.GetRequiredService<VerdictStep>().DecideAsync(minute, default));

        var decision = Assert.Single(decisions.OfType<CycleDecision>());
        Assert.Equal(VerdictOutcome.Fail, Reports.VerdictOf(decision, down).Outcome);
        Assert.Equal(["east", "west"], Reports.VerdictOf(decision, down).Regions);
        Assert.All(decision.Verdicts, v => Assert.Equal(minute, v.Minute));
        var minuteAt = east.GetRequiredService<SchedulingClock>().StartOf(minute);
        Assert.Equal((MonitorState.Down, minuteAt), await StateOf(down));
        Assert.Equal((MonitorState.Up, minuteAt), await StateOf(up));
        var latest = await east.GetRequiredService<CycleStore>().LatestAsync(default);
        Assert.True(latest["west"].Trusted);
        Assert.Equal((minute, 2, 1), (latest["west"].Minute, latest["west"].Stats.Probes, latest["west"].Stats.Failures));

        // The next minute, decided by the other instance: no state changed, so none is written
        // (StateChangedAt stays), though that instance never wrote a state before.
        await Report(minute + 1, ("east", down, false), ("west", down, false), ("east", up, true));
        Assert.NotNull(await west.GetRequiredService<VerdictStep>().DecideAsync(minute + 1, default));
        Assert.Equal((MonitorState.Down, minuteAt), await StateOf(down));

        // A recovery is written, by whichever instance decides.
        await Report(minute + 2, ("east", down, true), ("west", down, false));
        Assert.NotNull(await east.GetRequiredService<VerdictStep>().DecideAsync(minute + 2, default));
        Assert.Equal((MonitorState.Up, minuteAt.AddMinutes(2)), await StateOf(down));
        Assert.Null(await west.GetRequiredService<VerdictStep>().DecideAsync(minute + 2, default));
    }

    [Fact]
    public async Task A_monitor_changing_state_is_handed_off_once_when_the_verdict_step_runs_twice_and_in_two_instances_at_once()
    {
        var store = east.GetRequiredService<MonitorStore>();
        var changing = await CycleMonitors.AddAsync(store, ProbeType.Tcp, "127.0.0.1:9");
        var steady = await CycleMonitors.AddAsync(store, ProbeType.Tcp, "127.0.0.1:10");
        foreach (var id in new[] { changing, steady })
        {
            Assert.True(await store.SetStateAsync(id, MonitorState.Up, DateTimeOffset.UnixEpoch, (await store.GetAsync(id, default))!.ETag, default));
        }

        // The minute the run decides last (RunAsync: the run's minute once past its deadline, else the one before).
        var timing = east.GetRequiredService<CycleTiming>();
        var runMinute = timing.Clock.CurrentMinute;
        var minute = timing.Clock.Now >= timing.DeadlineOf(runMinute) ? runMinute : runMinute - 1;
        var cycles = east.GetRequiredService<CycleStore>();
        var at = timing.Clock.StartOf(minute);
        foreach (var region in new[] { "east", "west" })
        {
            var outcomes = new[] { new ProbeOutcome(changing, Reports.Refused), new ProbeOutcome(steady, null) }.Select(o => o with { Scanned = new ScannedState(MonitorState.Up) });
            await cycles.WriteOutcomesAsync(region, minute, "main", outcomes, default);
            await cycles.WriteHealthAsync(new CycleHealth(region, minute, at, at, at.AddSeconds(1), TimeSpan.Zero, 2, 2, 0, 0, Reports.Canaries(up: true)), default);
        }

        // What VerdictFunction hands off is exactly what the runs return: two instances at once, then a repeated timer run.
        var runs = (await Task.WhenAll(east.GetRequiredService<VerdictStep>().RunAsync(runMinute, default), west.GetRequiredService<VerdictStep>().RunAsync(runMinute, default))).ToList();
        runs.Add(await east.GetRequiredService<VerdictStep>().RunAsync(runMinute, default));

        var handedOff = runs.SelectMany(r => r).SelectMany(d => d.Verdicts).Where(v => v.MonitorId == changing).ToList();
        Assert.Equal(VerdictOutcome.Fail, Assert.Single(handedOff).Outcome);
        Assert.Equal(minute, handedOff[0].Minute);
        Assert.Equal([new StateChange(changing, MonitorState.Up, MonitorState.Down, minute, at)], runs.SelectMany(r => r).SelectMany(d => d.Changes));
        Assert.Equal([new StateChange(changing, MonitorState.Up, MonitorState.Down, minute, at)], await cycles.ReadChangesAsync(minute, default));
        Assert.Equal((MonitorState.Down, at), await StateOf(changing));
        Assert.Equal((MonitorState.Up, DateTimeOffset.UnixEpoch), await StateOf(steady));
    }

    [Fact]
    public async Task A_state_the_row_already_has_is_not_written_again_even_when_the_verdicts_say_so_twice()
    {
        var store = east.GetRequiredService<MonitorStore>();
        var monitor = await CycleMonitors.AddAsync(store, ProbeType.Tcp, "127.0.0.1:9");
        var states = east.GetRequiredService<MonitorStates>();
        var verdict = new MonitorVerdict(monitor, VerdictOutcome.Suppressed, [], "suppressed: every region's canaries failed");
        var at = DateTimeOffset.UnixEpoch.AddYears(60);

        // The second run's scan is from before the first run's write, as a late or repeated run's can be: the change the first recorded tells it to look.
        var scan = Scanned(await ScanAsync(store));
        Assert.Equal([new StateChange(monitor, MonitorState.Unknown, MonitorState.Suppressed, 1000, at)], await states.RecordAsync(1000, [verdict], scan, at, default));
        Assert.Empty(await west.GetRequiredService<MonitorStates>().RecordAsync(1001, [verdict with { Outcome = VerdictOutcome.Unknown }], scan, at.AddMinutes(1), default));
        Assert.Equal((MonitorState.Suppressed, at), await StateOf(monitor));
    }

    private async Task Report(long minute, params (string Region, string Monitor, bool Ok)[] outcomes)
    {
        var cycles = east.GetRequiredService<CycleStore>();
        var at = east.GetRequiredService<SchedulingClock>().StartOf(minute);
        foreach (var region in outcomes.GroupBy(o => o.Region))
        {
            await cycles.ClaimAsync(region.Key, minute, at, default);
            await cycles.WriteOutcomesAsync(region.Key, minute, "main", region.Select(o => new ProbeOutcome(o.Monitor, o.Ok ? null : Reports.ConnectTimeout)), default);
            await cycles.WriteHealthAsync(new CycleHealth(region.Key, minute, at, at, at.AddSeconds(1), TimeSpan.Zero, region.Count(), region.Count(), 0, 0, Reports.Canaries(up: true)), default);
        }
    }

    private static Dictionary<string, ScannedState?> Scanned(IEnumerable<ScheduledMonitor> scan) =>
        scan.ToDictionary(m => m.Id, m => (ScannedState?)ScannedState.Of(m), StringComparer.Ordinal);

    private static async Task<List<ScheduledMonitor>> ScanAsync(MonitorStore store)
    {
        var scanned = new List<ScheduledMonitor>();
        await foreach (var page in store.ListScheduledAsync(default))
        {
            scanned.AddRange(page);
        }

        return scanned;
    }

    private async Task<(MonitorState, DateTimeOffset?)> StateOf(string monitor)
    {
        var record = await east.GetRequiredService<MonitorStore>().GetAsync(monitor, default);
        return (record!.State, record.StateChangedAt);
    }

    private Task<IReadOnlyList<CycleResult>> Results(string monitor, long minute)
    {
        var at = east.GetRequiredService<SchedulingClock>().StartOf(minute);
        return east.GetRequiredService<ResultStore>().RangeAsync(monitor, at, at, null, 10, default);
    }

    /// <summary>A minute whose deadline is well ahead and which no other test of the class uses.</summary>
    private long NextMinute() => east.GetRequiredService<SchedulingClock>().CurrentMinute + 2 + Interlocked.Increment(ref minutes) * 3;

    private static int minutes;

    private Task<ServiceProvider> Instance(string region) =>
        CoreAccounts.StartAsync(azurite.ConnectionString, TimeProvider.System, settings: new()
        {
            ["SM_REGION"] = region,
            ["SM_REGIONS"] = "east,west",
            ["SM_CANARY_TARGETS"] = $"127.0.0.1:{((IPEndPoint)canary.LocalEndpoint).Port}",
        });
}
