using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using Azure.Core.Diagnostics;
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
using ServerlessMonitor.Local.Storage;

namespace ServerlessMonitor.Bench;

/// <summary>
/// One region's probe cycle with 10,000 monitors at a 1-minute interval, all due in the same
/// minute, against the loopback HTTP target (its own process) and an in-memory Azurite (its own
/// process). The monitors are seeded through MonitorStore; the cycle then runs once, as its
/// timer would, at the top of a real 60-second minute, with SM_CYCLE_BUDGET above the count so
/// one instance probes everything; the primary's verdict step then decides the minute.
/// Reported: probed/skipped, duration (deadline: second 45), timer lag, peak working set,
/// table requests per table and per result. Targets: ≤ 25 s, ≤ 300 MB, ≤ 0.02 transactions per result.
/// SM_BENCH_MONITORS sets another count.
/// </summary>
internal static class CycleBenchmark
{
    private const int SeedConcurrency = 64;

    public static Task<int> RunAsync(CancellationToken cancellationToken) =>
        TargetServer.RunTrustingAsync("cycle", MeasureAsync, cancellationToken);

    private static async Task<int> MeasureAsync(TargetServer target, CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("SM_BENCH_MONITORS"), CultureInfo.InvariantCulture, out var n) ? n : 10_000;
        await using var azurite = await AzuriteProcess.StartAsync(null, _ => { }, cancellationToken);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingCatalog.Storage] = azurite.ConnectionString,
            [SettingCatalog.Region] = "bench",
            [SettingCatalog.CycleBudget] = (count + 1).ToString(CultureInfo.InvariantCulture),
            [SettingCatalog.CanaryTargets] = $"127.0.0.1:{azurite.TablePort}",
            [SettingCatalog.DataDir] = Directory.CreateTempSubdirectory("sm-bench-cycle-").FullName,
        }).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddServerlessMonitor(configuration, RuntimeMode.Local)
            .BuildServiceProvider();
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(cancellationToken);

        Console.WriteLine($"seeding {count} monitors…");
        var seeding = Stopwatch.StartNew();
        await SeedAsync(services.GetRequiredService<MonitorStore>(), target.Http, count, cancellationToken);
        Console.WriteLine($"seeded in {seeding.Elapsed.TotalSeconds:F1} s");

        var clock = services.GetRequiredService<SchedulingClock>();
        var minute = clock.CurrentMinute + 1;
        await Task.Delay(clock.StartOf(minute) - clock.Now, cancellationToken);
        using var requests = new RequestCounter();
        using var peak = new PeakWorkingSet();
        var before = Environment.WorkingSet;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var health = await services.GetRequiredService<ProbeCycle>().RunAsync(minute, cancellationToken)
            ?? throw new InvalidOperationException("the cycle did not run");
        var cycleCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var cycleRequests = requests.Snapshot();
        var cyclePeak = peak.Max;

        var verdict = Stopwatch.StartNew();
        var decision = await services.GetRequiredService<VerdictStep>().DecideAsync(minute, cancellationToken);
        verdict.Stop();
        var verdictRequests = requests.Snapshot();

        // Results are the only rows written in transactions by the thousand; the cycle's outcomes add one.
        var transactions = cycleRequests.GetValueOrDefault("$batch");
        var all = cycleRequests.Values.Sum();
        Console.WriteLine($"probe cycle: {count} http monitors, one region, one instance; {Environment.ProcessorCount} CPUs, load average {ProbeTimingBenchmark.LoadAverage()}");
        Stats.PrintTable(
            ["measure", "value"],
            [
                ["probed / skipped at the deadline", $"{health.Probed} / {health.Skipped}"],
                ["cycle duration (deadline: second 45)", $"{health.Duration.TotalSeconds:F1} s"],
                ["timer lag (start behind the minute)", $"{health.Lag.TotalMilliseconds:F0} ms"],
                ["probes per second", $"{health.Probed / health.Duration.TotalSeconds:F0}"],
                ["CPU seconds of the probing process", $"{cycleCpu.TotalSeconds:F1}"],
                ["peak working set (before the cycle)", $"{cyclePeak / 1e6:F0} MB ({before / 1e6:F0} MB)"],
                ["table requests in the cycle", $"{all} ({string.Join(", ", cycleRequests.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}"))})"],
                ["table transactions ($batch) per result", $"{transactions / (double)health.Probed:F4}"],
                ["table requests per result (all)", $"{all / (double)health.Probed:F4}"],
                ["verdict step (every state unknown → up)", $"{verdict.Elapsed.TotalSeconds:F1} s, {decision?.Verdicts.Count ?? 0} verdicts, {verdictRequests.Values.Sum() - all} requests"],
            ]);
        return health.Skipped == 0 ? 0 : 1;
    }

    private static async Task SeedAsync(MonitorStore store, string http, int count, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = SeedConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            // The stored defaults are the API's: what a user creating this monitor would get.
            var definition = new MonitorDefinition($"bench {i}", ProbeType.Http, $"{http}/?m={i}", 1, 10, ProbeExpect.None, 2, null, 15, 1, false, null, false);
            await store.CreateAsync(new MonitorRecord(Ids.New(Ids.Monitor), "abench0000000000000000", definition, MonitorState.Unknown, null, now, now), ct);
        });
    }

    /// <summary>Counts the Azure SDK's storage requests per table (or queue), from its own event source.</summary>
    private sealed class RequestCounter : IDisposable
    {
        private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);
        private readonly AzureEventSourceListener listener;

        public RequestCounter() => listener = new AzureEventSourceListener(Count, EventLevel.Informational);

        public Dictionary<string, int> Snapshot() => new(counts);

        public void Dispose() => listener.Dispose();

        private void Count(EventWrittenEventArgs e, string message)
        {
            var at = e.PayloadNames?.IndexOf("uri") ?? -1;
            if (e.EventName != "Request" || at < 0 || e.Payload?[at] is not string uri)
            {
                return;
            }

            // Azurite's paths start with the account name; a transaction is posted to "$batch".
            var path = new Uri(uri).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var name = path.Length > 1 ? path[1].Split('(')[0] : "?";
            counts.AddOrUpdate(name, 1, (_, c) => c + 1);
        }
    }

    /// <summary>The process's working set, sampled every 20 ms: its peak while the cycle runs.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly Timer timer;
        private long max = Environment.WorkingSet;

        public PeakWorkingSet() => timer = new Timer(_ => Interlocked.Exchange(ref max, Math.Max(Interlocked.Read(ref max), Environment.WorkingSet)), null, 0, 20);

        public long Max => Interlocked.Read(ref max);

        public void Dispose() => timer.Dispose();
    }
}
