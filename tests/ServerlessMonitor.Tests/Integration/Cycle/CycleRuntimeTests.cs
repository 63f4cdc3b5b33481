using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.Integration.Cycle;

/// <summary>
/// The cycle end to end on the local runtime: three regions' timers probe real loopback targets,
/// the primary decides, and what it decides is what a user of the service would expect.
/// </summary>
public sealed class CycleRuntimeTests
{
    private static readonly string[] AllRegions = ["east", "north", "west"];

    [Fact]
    public async Task Targets_going_dark_together_while_the_canaries_answer_fail_and_a_down_or_isolated_region_never_fails_a_monitor()
    {
        using var canary = Listening(out var canaryPort);
        await using var cycle = await CycleRuntime.StartAsync($"127.0.0.1:{canaryPort}");
        await using var server = new HttpTestServer();
        var up = await cycle.AddAsync(ProbeType.Http, server.Url + "/");

        // One provider going dark: six targets, refusing or silent (connect timeouts), from every region.
        var refusing = Enumerable.Range(0, 3).Select(_ => ClosedPorts.RefusingTcp(out var port) is var s ? (Socket: s, Port: port) : default).ToList();
        using var silent = new CompositeDisposable([.. Enumerable.Range(0, 3).Select(_ => ClosedPorts.Unresponsive())]);
        var dark = new List<string>();
        foreach (var (_, port) in refusing)
        {
            dark.Add(await cycle.AddAsync(ProbeType.Tcp, $"127.0.0.1:{port}", timeoutSeconds: 1));
        }

        foreach (var port in silent.Items.Cast<ClosedPorts.SilentPort>().Select(s => s.Port))
        {
            dark.Add(await cycle.AddAsync(ProbeType.Tcp, $"127.0.0.1:{port}", timeoutSeconds: 1));
        }

        try
        {
            var outage = await cycle.VerdictsWhere(
                v => v.TryGetValue(up, out var u) && u.Regions.Count == 3 && dark.All(d => v.ContainsKey(d) && v[d].Regions.Count == 3),
                "a minute every region reported every monitor in");

            Assert.Equal(VerdictOutcome.Pass, outage[up].Outcome);
            Assert.All(dark, d => Assert.Equal(VerdictOutcome.Fail, outage[d].Outcome));
            Assert.All(dark, d => Assert.Equal(AllRegions, outage[d].Regions));
            Assert.Equal(MonitorState.Up, await cycle.StateOf(up));
            Assert.All(dark, d => Assert.Equal(MonitorState.Down, cycle.StateOf(d).Result));
            var regions = await cycle.RegionsAsync();
            Assert.Equal(AllRegions, regions.Select(r => (string)r!["name"]!));
            // The view is of the latest decided cycle, which may already be a later one than the
            // minute above (and, on a loaded machine, one whose probes were all skipped past the
            // deadline): that every region probed every monitor is what the verdicts above show.
            Assert.All(regions, r => Assert.True((bool)r!["trusted"]! && !(bool)r["silent"]! && r["lastCycleAt"] is not null, r!.ToJsonString()));
            var health = await cycle.Http.GetFromJsonAsync<JsonObject>("health");
            Assert.Equal(3, (int)health!["regions"]!["total"]!);
            Assert.False((bool)health["regions"]!["verdictOverdue"]!);

            // North goes down, west loses its network: only east's word counts, for passes and failures alike.
            await cycle.SetRegion("north", "down");
            await cycle.SetRegion("west", "isolated");
            var shrunk = await cycle.VerdictsWhere(
                v => v.TryGetValue(up, out var u) && u.Regions.SequenceEqual(["east"]) && dark.All(d => v.TryGetValue(d, out var f) && f.Reason.Contains("west (its canaries failed)", StringComparison.Ordinal)),
                "a minute with north down and west isolated");

            Assert.Equal(VerdictOutcome.Pass, shrunk[up].Outcome);
            Assert.All(dark, d => Assert.Equal((VerdictOutcome.Fail, "east"), (shrunk[d].Outcome, Assert.Single(shrunk[d].Regions))));
            Assert.Contains("west (its canaries failed)", shrunk[dark[0]].Reason, StringComparison.Ordinal);
            var west = (await cycle.RegionsAsync()).Single(r => (string)r!["name"]! == "west")!;
            Assert.False((bool)west["trusted"]!);
            Assert.Equal(1, (int)west["canaryFailures"]!);

            // Three minutes without a heartbeat: north is reported silent, and not trusted.
            await Support.Eventually.True(
                async () => (await cycle.RegionsAsync()).Single(r => (string)r!["name"]! == "north")!["silent"]!.GetValue<bool>(),
                CycleRuntime.Patience,
                "north reported silent");
            var summary = (await cycle.Http.GetFromJsonAsync<JsonObject>("health"))!["regions"]!;
            Assert.Equal(["north"], summary["silent"]!.AsArray().Select(n => (string)n!));
            Assert.Contains("north", summary["untrusted"]!.AsArray().Select(n => (string)n!));
        }
        finally
        {
            refusing.ForEach(r => r.Socket.Dispose());
        }
    }

    [Fact]
    public async Task When_every_regions_canaries_fail_the_cycle_is_suppressed_with_its_reason_and_nothing_fails()
    {
        using var deadCanary = ClosedPorts.RefusingTcp(out var canaryPort);
        await using var cycle = await CycleRuntime.StartAsync($"127.0.0.1:{canaryPort}");
        using var deadTarget = ClosedPorts.RefusingTcp(out var targetPort);
        await using var server = new HttpTestServer();
        var up = await cycle.AddAsync(ProbeType.Http, server.Url + "/");
        var down = await cycle.AddAsync(ProbeType.Tcp, $"127.0.0.1:{targetPort}");

        var suppressed = await cycle.VerdictsWhere(v => v.ContainsKey(up) && v.ContainsKey(down), "a minute in which both monitors were decided");

        Assert.All(new[] { suppressed[up], suppressed[down] }, v =>
        {
            Assert.Equal(VerdictOutcome.Suppressed, v.Outcome);
            Assert.Contains("canaries fail", v.Reason, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(cycle.Verdicts.HandOffs.SelectMany(h => h), v => v.Outcome == VerdictOutcome.Fail);
        Assert.Equal(MonitorState.Suppressed, await cycle.StateOf(down));
        Assert.All(await cycle.RegionsAsync(), r => Assert.False((bool)r!["trusted"]!));
    }

    [Fact]
    public async Task Past_the_budget_shards_are_probed_through_each_regions_queue_and_every_result_is_written_once()
    {
        using var canary = Listening(out var canaryPort);
        await using var cycle = await CycleRuntime.StartAsync($"127.0.0.1:{canaryPort}", minuteSeconds: 6, budget: 1);
        await using var server = new HttpTestServer();
        var monitors = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            monitors.Add(await cycle.AddAsync(ProbeType.Http, $"{server.Url}/text?body=m{i}"));
        }

        var decided = await cycle.VerdictsWhere(v => monitors.All(m => v.TryGetValue(m, out var verdict) && verdict.Regions.Count == 3), "a minute every region probed every monitor in, three of them from shards");

        Assert.All(monitors, m => Assert.Equal(VerdictOutcome.Pass, decided[m].Outcome));
        var minute = decided[monitors[0]].Minute;
        var minuteAt = cycle.Runtime.ServicesOf("east").GetRequiredService<SchedulingClock>().StartOf(minute);
        foreach (var monitor in monitors)
        {
            var ofMinute = (await cycle.ResultsOf(monitor)).Where(r => r.MinuteAt == minuteAt);
            Assert.Equal(AllRegions, ofMinute.Select(r => r.Region).Order());
        }

        var health = (await cycle.Runtime.ServicesOf("east").GetRequiredService<CycleStore>().ReadAsync(minute, default)).Health;
        // The timer's instance keeps the first due in scan order (the scan lists by id); the rest stream into shards of one result partition each.
        var shards = monitors.Order(StringComparer.Ordinal).Skip(1).Select(ResultKey.BucketOf).Distinct().Count();
        Assert.All(AllRegions, region => Assert.Equal((4, 1, shards), (health[region].Due, health[region].Probed, health[region].Shards)));
    }

    private static TcpListener Listening(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    private sealed class CompositeDisposable(IReadOnlyList<IDisposable> items) : IDisposable
    {
        public IReadOnlyList<IDisposable> Items => items;

        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}
