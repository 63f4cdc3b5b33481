using System.Diagnostics;
using System.Globalization;
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
/// one instance probes everything; the primary's verdict step then decides the minute. Then
/// the same again for the next minute, in steady state (every state known: the verdict step
/// writes nothing). Reported for each: probed/skipped, duration (deadline: second 45), timer
/// lag, peak working set, table requests per table and per result, the verdict step's time. Targets: ≤ 25 s, ≤ 300 MB, ≤ 0.02 transactions per result.
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
        using var requests = new RequestCounter();
        var before = Environment.WorkingSet;
        var first = await MinuteAsync(services, clock, requests, cancellationToken);

        // Steady state: the next minute with every state known, as every minute after a deployment's first is.
        var steady = await MinuteAsync(services, clock, requests, cancellationToken);

        Console.WriteLine($"probe cycle: {count} http monitors, one region, one instance; {Environment.ProcessorCount} CPUs, load average {ProbeTimingBenchmark.LoadAverage()}");
        Stats.PrintTable(
            ["measure", "first minute", "next minute (steady state)"],
            [
                ["probed / skipped at the deadline", $"{first.Health.Probed} / {first.Health.Skipped}", $"{steady.Health.Probed} / {steady.Health.Skipped}"],
                ["cycle duration (deadline: second 45)", $"{first.Health.Duration.TotalSeconds:F1} s", $"{steady.Health.Duration.TotalSeconds:F1} s"],
                ["timer lag (start behind the minute)", $"{first.Health.Lag.TotalMilliseconds:F0} ms", $"{steady.Health.Lag.TotalMilliseconds:F0} ms"],
                ["probes per second", $"{first.Health.Probed / first.Health.Duration.TotalSeconds:F0}", $"{steady.Health.Probed / steady.Health.Duration.TotalSeconds:F0}"],
                ["CPU seconds of the probing process", $"{first.CycleCpu.TotalSeconds:F1}", $"{steady.CycleCpu.TotalSeconds:F1}"],
                ["peak working set in the cycle", $"{first.CyclePeak / 1e6:F0} MB (before: {before / 1e6:F0} MB)", $"{steady.CyclePeak / 1e6:F0} MB"],
                ["table requests in the cycle", Requests(first.CycleRequests), Requests(steady.CycleRequests)],
                ["table transactions ($batch) per result", $"{first.CycleRequests.GetValueOrDefault("$batch") / (double)first.Health.Probed:F4}", $"{steady.CycleRequests.GetValueOrDefault("$batch") / (double)steady.Health.Probed:F4}"],
                ["table requests per result (all)", $"{first.CycleRequests.Values.Sum() / (double)first.Health.Probed:F4}", $"{steady.CycleRequests.Values.Sum() / (double)steady.Health.Probed:F4}"],
                ["verdict step", $"{first.Verdict.TotalSeconds:F1} s (every state unknown → up)", $"{steady.Verdict.TotalSeconds:F1} s (no state changes)"],
                ["verdict step requests", Requests(first.VerdictRequests), Requests(steady.VerdictRequests)],
                ["peak working set, cycle and verdict", $"{first.Peak / 1e6:F0} MB", $"{steady.Peak / 1e6:F0} MB"],
            ]);
        return first.Health.Skipped + steady.Health.Skipped == 0 ? 0 : 1;
    }

    /// <summary>The cycle of the next minute, run at its top as the timer would, then the verdict step deciding it.</summary>
    private static async Task<MinuteRun> MinuteAsync(ServiceProvider services, SchedulingClock clock, RequestCounter requests, CancellationToken cancellationToken)
    {
        var minute = clock.CurrentMinute + 1;
        await Task.Delay(clock.StartOf(minute) - clock.Now, cancellationToken);
        var start = requests.Snapshot();
        using var peak = new PeakWorkingSet();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var health = await services.GetRequiredService<ProbeCycle>().RunAsync(minute, cancellationToken)
            ?? throw new InvalidOperationException("the cycle did not run");
        var cycleCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var afterCycle = requests.Snapshot();
        var cyclePeak = peak.Max;

        var verdict = Stopwatch.StartNew();
        await services.GetRequiredService<VerdictStep>().DecideAsync(minute, cancellationToken);
        verdict.Stop();
        return new MinuteRun(health, cycleCpu, cyclePeak, Minus(afterCycle, start), verdict.Elapsed, Minus(requests.Snapshot(), afterCycle), peak.Max);
    }

    private static Dictionary<string, int> Minus(Dictionary<string, int> later, Dictionary<string, int> earlier) =>
        later.Select(r => (r.Key, Count: r.Value - earlier.GetValueOrDefault(r.Key))).Where(r => r.Count > 0).ToDictionary(r => r.Key, r => r.Count);

    // Results are the only rows written in transactions ($batch) by the thousand; the cycle's outcomes add one.
    private static string Requests(Dictionary<string, int> counts) =>
        $"{counts.Values.Sum()} ({string.Join(", ", counts.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}"))})";

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

    private sealed record MinuteRun(
        CycleHealth Health,
        TimeSpan CycleCpu,
        long CyclePeak,
        Dictionary<string, int> CycleRequests,
        TimeSpan Verdict,
        Dictionary<string, int> VerdictRequests,
        long Peak);
}
