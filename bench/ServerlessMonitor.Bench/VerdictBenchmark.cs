using System.Diagnostics;
using System.Globalization;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMonitor.Core;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Functions.Incidents;
using ServerlessMonitor.Local.Durable;
using ServerlessMonitor.Local.Storage;

namespace ServerlessMonitor.Bench;

/// <summary>
/// The primary's verdict step and the incident hand-off for 10,000 and 50,000 monitors
/// (SM_BENCH_MONITORS="10000,50000"), from cycle outcomes of three regions written to an
/// in-memory Azurite as their cycles (main instance and shards of 200) write them. Every monitor
/// is probed by every region each minute; 1 % fail, with an open incident (flagged, its
/// orchestration started on a DTFx task hub over the same Azurite, no worker: what is measured
/// is the hand-off, not the incidents' own work); per minute 0.1 % change state (half going down,
/// half recovering). Three minutes are decided in a row and timed: DecideAsync, then
/// IncidentNotices.HandOffAsync, as VerdictFunction runs them. Reported: time, requests per
/// table and queue, and for comparison what the step it replaced read every minute (a scan of
/// every monitor row). Target: ≤ 10 s at 50,000; requests that do not grow with healthy monitors.
/// </summary>
internal static class VerdictBenchmark
{
    private const int SeedConcurrency = 64;
    private const int PartSize = 2000;
    /// <summary>Enough minutes for the warm-up's changes to leave MonitorStates.RecentMinutes behind.</summary>
    private const int Runs = 8;
    private static readonly string[] Regions = ["east", "north", "west"];

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var counts = (Environment.GetEnvironmentVariable("SM_BENCH_MONITORS") ?? "10000,50000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
            .ToList();
        var rows = new List<string[]>();
        foreach (var count in counts)
        {
            rows.AddRange(await MeasureAsync(count, cancellationToken));
        }

        Console.WriteLine($"verdict step + incident hand-off; three regions probing every monitor each minute; 1 % failing with open incidents, 0.1 % changing state per minute; {Environment.ProcessorCount} CPUs, load average at the end {ProbeTimingBenchmark.LoadAverage()}");
        Stats.PrintTable(["monitors", "minute", "verdict step", "hand-off", "total", "states changed", "requests: verdict step", "requests: hand-off", "load average"], rows);
        return 0;
    }

    private static async Task<List<string[]>> MeasureAsync(int count, CancellationToken cancellationToken)
    {
        await using var azurite = await AzuriteProcess.StartAsync(null, _ => { }, cancellationToken);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingCatalog.Storage] = azurite.ConnectionString,
            [SettingCatalog.Region] = Regions[0],
            [SettingCatalog.Regions] = string.Join(',', Regions),
            [SettingCatalog.DataDir] = Directory.CreateTempSubdirectory("sm-bench-verdict-").FullName,
        }).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddServerlessMonitor(configuration, RuntimeMode.Local)
            .BuildServiceProvider();
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(cancellationToken);
        var hub = await TaskHubAsync(azurite.ConnectionString);
        var clock = services.GetRequiredService<SchedulingClock>();
        var notices = new IncidentNotices(hub, services.GetRequiredService<RecheckStore>(), clock);

        // Which monitors fail and which change in each measured minute, chosen up front.
        var random = new Random(count);
        var ids = Enumerable.Range(0, count).Select(_ => Ids.New(Ids.Monitor)).ToList();
        var failing = ids.OrderBy(_ => random.Next()).Take(count / 100).ToHashSet(StringComparer.Ordinal);
        var change = Math.Max(1, count / 2000);
        var plan = new List<(List<string> Recovering, List<string> Falling)>();
        var planned = new HashSet<string>(failing, StringComparer.Ordinal);
        var willFail = new HashSet<string>(failing, StringComparer.Ordinal);
        for (var run = 0; run < Runs; run++)
        {
            var recovering = willFail.OrderBy(_ => random.Next()).Take(change).ToList();
            var falling = ids.Where(id => !planned.Contains(id)).OrderBy(_ => random.Next()).Take(change).ToList();
            willFail.ExceptWith(recovering);
            willFail.UnionWith(falling);
            planned.UnionWith(falling);
            plan.Add((recovering, falling));
        }

        // Every monitor row, or (the default above 10,000, where seeding through the store takes many minutes on a busy
        // machine) only those the step can read: failing, changing or recently changed ones. A monitor whose verdict
        // agrees with its scanned state is never read, so its row changes nothing measured here.
        var seedAll = Environment.GetEnvironmentVariable("SM_BENCH_SEED_ALL") is { } all ? all == "true" : count <= 10_000;
        var seeded = seedAll ? ids : [.. ids.Where(planned.Contains)];
        Console.WriteLine($"{count}: seeding {seeded.Count} monitor rows…");
        var seeding = Stopwatch.StartNew();
        await SeedAsync(services.GetRequiredService<MonitorStore>(), seeded, cancellationToken);
        Console.WriteLine($"{count}: seeded in {seeding.Elapsed.TotalSeconds:F0} s");

        // 1 % down with an open incident, as minutes of failing verdicts leave them.
        var states = ids.ToDictionary(id => id, _ => MonitorState.Up, StringComparer.Ordinal);
        var minute = clock.CurrentMinute - 10;
        await WriteCycleAsync(services, minute, states, failing, cancellationToken);
        foreach (var decision in await DecideAsync(services, minute, cancellationToken))
        {
            await notices.HandOffAsync(decision.Verdicts, cancellationToken);
            Apply(states, decision);
        }

        using var requests = new RequestCounter();
        var rows = new List<string[]>();
        foreach (var (recovering, falling) in plan)
        {
            // 0.1 % change: half of them start failing, half of the failing recover.
            failing.ExceptWith(recovering);
            failing.UnionWith(falling);
            minute++;
            await WriteCycleAsync(services, minute, states, failing, cancellationToken);

            var start = requests.Snapshot();
            var step = Stopwatch.StartNew();
            var decided = await DecideAsync(services, minute, cancellationToken);
            step.Stop();
            var afterStep = requests.Snapshot();
            var handoff = Stopwatch.StartNew();
            foreach (var decision in decided)
            {
                await notices.HandOffAsync(decision.Verdicts, cancellationToken);
                Apply(states, decision);
            }

            handoff.Stop();
            var changed = decided.Sum(d => d.Changes.Count);

            // The step's two CPU-heavy parts, timed again on their own: reading the cycle's outcomes, and the rules.
            var read = Stopwatch.StartNew();
            var cycle = await services.GetRequiredService<CycleStore>().ReadAsync(minute, cancellationToken);
            read.Stop();
            var rules = Stopwatch.StartNew();
            VerdictRules.Decide(minute, cycle.Reports());
            rules.Stop();
            rows.Add([
                count.ToString("N0", CultureInfo.InvariantCulture),
                $"steady {rows.Count + 1}",
                $"{step.Elapsed.TotalSeconds:F2} s (read {read.Elapsed.TotalSeconds:F2}, rules {rules.Elapsed.TotalSeconds:F2})",
                $"{handoff.Elapsed.TotalSeconds:F2} s",
                $"{(step.Elapsed + handoff.Elapsed).TotalSeconds:F2} s",
                changed.ToString(CultureInfo.InvariantCulture),
                RequestCounts.Show(RequestCounts.Minus(afterStep, start)),
                RequestCounts.Show(RequestCounts.Minus(requests.Snapshot(), afterStep)),
                ProbeTimingBenchmark.LoadAverage(),
            ]);
            Console.WriteLine(string.Join(" | ", rows[^1]));
        }

        // What the step before this one read every minute on top: every monitor row.
        var before = requests.Snapshot();
        var scan = Stopwatch.StartNew();
        var scanned = 0;
        await foreach (var page in services.GetRequiredService<MonitorStore>().ListScheduledAsync(cancellationToken))
        {
            scanned += page.Count;
        }

        scan.Stop();
        rows.Add([
            count.ToString("N0", CultureInfo.InvariantCulture),
            seedAll ? "for comparison: the scan of every monitor row the old step made each minute, besides all the above" : $"(only {seeded.Count} rows stored: SM_BENCH_SEED_ALL=true for the old step's scan)",
            $"{scan.Elapsed.TotalSeconds:F2} s",
            "-",
            "-",
            $"{scanned} rows read",
            RequestCounts.Show(RequestCounts.Minus(requests.Snapshot(), before)),
            "-",
            ProbeTimingBenchmark.LoadAverage(),
        ]);
        Console.WriteLine(string.Join(" | ", rows[^1]));
        return rows;
    }

    private static async Task<IReadOnlyList<CycleDecision>> DecideAsync(ServiceProvider services, long minute, CancellationToken cancellationToken) =>
        await services.GetRequiredService<VerdictStep>().DecideAsync(minute, cancellationToken) is { } decision ? [decision] : [];

    private static void Apply(Dictionary<string, MonitorState> states, CycleDecision decision)
    {
        foreach (var change in decision.Changes)
        {
            states[change.MonitorId] = change.To;
        }
    }

    /// <summary>Each region's outcomes as its cycle writes them: the main instance's part and shards of 200, each carrying the scanned state.</summary>
    private static async Task WriteCycleAsync(ServiceProvider services, long minute, Dictionary<string, MonitorState> states, HashSet<string> failing, CancellationToken cancellationToken)
    {
        var cycles = services.GetRequiredService<CycleStore>();
        var at = services.GetRequiredService<SchedulingClock>().StartOf(minute);
        var refused = new ProbeError(ErrorClass.Connect, "refused", "ECONNREFUSED");
        var outcomes = states.Select(s => new ProbeOutcome(s.Key, failing.Contains(s.Key) ? refused : null) { Scanned = new ScannedState(s.Value) }).ToList();
        foreach (var region in Regions)
        {
            await cycles.ClaimAsync(region, minute, at, cancellationToken);
            await cycles.WriteOutcomesAsync(region, minute, "main", outcomes.Take(PartSize), cancellationToken);
            var shards = outcomes.Skip(PartSize).Chunk(ProbeShards.MaxJobs).Select((shard, n) => (shard, n));
            await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (s, ct) =>
                await cycles.WriteOutcomesAsync(region, minute, $"s{s.n}", s.shard, ct));
            await cycles.WriteHealthAsync(new CycleHealth(region, minute, at, at, at.AddSeconds(30), TimeSpan.Zero, outcomes.Count, outcomes.Count, 0, 0, [new CanaryCheck("storage:443", null)]), cancellationToken);
        }
    }

    private static async Task SeedAsync(MonitorStore store, List<string> ids, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = SeedConcurrency, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            var definition = new MonitorDefinition($"bench {id}", ProbeType.Http, $"http://127.0.0.1:9/?m={id}", 1, 10, ProbeExpect.None, 2, null, 15, 1, false, null, false);
            await store.CreateAsync(new MonitorRecord(id, "abench0000000000000000", definition, MonitorState.Up, now, now, now), ct);
        });
    }

    /// <summary>A DTFx task hub over the same Azurite, created, with a client and no worker.</summary>
    private static async Task<Microsoft.DurableTask.Client.DurableTaskClient> TaskHubAsync(string connectionString)
    {
        var name = $"bench{Guid.NewGuid():N}"[..16];
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = name,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            LoggerFactory = NullLoggerFactory.Instance,
            ThrowExceptionOnInvalidDedupeStatus = true,
        });
        await service.CreateIfNotExistsAsync();
        return LocalDurableEngine.ConnectClient(connectionString, name, NullLoggerFactory.Instance);
    }
}
