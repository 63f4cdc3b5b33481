using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
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
using ServerlessMonitor.Local.Hosting;
using ServerlessMonitor.Local.Queues;
using ServerlessMonitor.Local.Storage;

namespace ServerlessMonitor.Bench;

/// <summary>
/// A 50,000-monitor region (SM_BENCH_MONITORS) in one cycle, fanned out: the timer's instance
/// probes its budget (SM_CYCLE_BUDGET, 2,000) and sends the rest in shards to the region's
/// queue; K consumers (SM_BENCH_CONSUMERS, default "2,4,8"), each a process of its own running
/// the local runtime's QueuePoller with host.json's batch size over ProbeShards — the queue
/// function's code — stand in for the instances Azure adds. All against the loopback HTTP target
/// (its own process) and an in-memory Azurite (its own process), at the top of a real minute.
/// Reported per K: when the last shard finished (deadline: second 45), monitors probed of those
/// due (the rest were skipped at the deadline or their shard expired), peak working set per
/// consumer, and table transactions per result across the timer's instance and the consumers.
/// </summary>
internal static class FanOutBenchmark
{
    private const string Region = "bench";
    private const string SettingsVariable = "SM_BENCH_FANOUT";
    private const int SeedConcurrency = 128;

    public static Task<int> RunAsync(CancellationToken cancellationToken) =>
        TargetServer.RunTrustingAsync("fanout", MeasureAsync, cancellationToken);

    private static async Task<int> MeasureAsync(TargetServer target, CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("SM_BENCH_MONITORS"), CultureInfo.InvariantCulture, out var n) ? n : 50_000;
        var consumerCounts = (Environment.GetEnvironmentVariable("SM_BENCH_CONSUMERS") ?? "2,4,8")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
            .ToList();
        await using var azurite = await AzuriteProcess.StartAsync(null, _ => { }, cancellationToken);
        var settings = new Dictionary<string, string?>
        {
            [SettingCatalog.Storage] = azurite.ConnectionString,
            [SettingCatalog.Region] = Region,
            [SettingCatalog.CycleBudget] = Environment.GetEnvironmentVariable("SM_CYCLE_BUDGET") ?? "2000",
            [SettingCatalog.CanaryTargets] = $"127.0.0.1:{azurite.TablePort}",
            [SettingCatalog.DataDir] = Directory.CreateTempSubdirectory("sm-bench-fanout-").FullName,
        };
        await using var services = Services(settings);
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(cancellationToken);

        Console.WriteLine($"seeding {count} monitors…");
        var seeding = Stopwatch.StartNew();
        await SeedAsync(services, target.Http, count, cancellationToken);
        Console.WriteLine($"seeded in {seeding.Elapsed.TotalSeconds:F0} s");

        var rows = new List<string[]>();
        foreach (var consumers in consumerCounts)
        {
            rows.Add(await MinuteAsync(services, settings, consumers, count, cancellationToken));
            Console.WriteLine(string.Join(" | ", rows[^1]));
        }

        Console.WriteLine($"fan-out: {count} http monitors due in one minute, one region; SM_CYCLE_BUDGET {settings[SettingCatalog.CycleBudget]}, shards of ≤ {ProbeShards.MaxJobs}, host.json batch size {HostJson.Load().QueueBatchSize}; {Environment.ProcessorCount} CPUs shared by every process");
        Stats.PrintTable(
            ["consumers", "last shard done (deadline: second 45)", "probed of due", "shards", "timer instance: probed, peak working set", "peak working set per consumer (max / mean)", "table transactions per result", "load average"],
            rows);
        return 0;
    }

    /// <summary>One minute's cycle with <paramref name="consumers"/> consumer processes polling the region's queue.</summary>
    private static async Task<string[]> MinuteAsync(ServiceProvider services, Dictionary<string, string?> settings, int consumers, int count, CancellationToken cancellationToken)
    {
        var processes = new List<Process>();
        for (var i = 0; i < consumers; i++)
        {
            var start = TargetServer.Self("fanout-consumer");
            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            start.Environment[SettingsVariable] = JsonSerializer.Serialize(settings);
            var process = Process.Start(start)!;
            if (await process.StandardOutput.ReadLineAsync(cancellationToken) != "ready")
            {
                throw new InvalidOperationException("a consumer did not start");
            }

            processes.Add(process);
        }

        var clock = services.GetRequiredService<SchedulingClock>();
        var minute = clock.CurrentMinute + 1;
        await Task.Delay(clock.StartOf(minute) - clock.Now, cancellationToken);
        using var requests = new RequestCounter();
        using var peak = new PeakWorkingSet();
        var health = await services.GetRequiredService<ProbeCycle>().RunAsync(minute, cancellationToken)
            ?? throw new InvalidOperationException("the cycle did not run");
        var mainBatches = requests.Snapshot().GetValueOrDefault("$batch");
        var timing = services.GetRequiredService<CycleTiming>();
        var wait = timing.DeadlineOf(minute) + TimeSpan.FromSeconds(3) - clock.Now;
        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken);

        var reports = new List<ConsumerReport>();
        foreach (var process in processes)
        {
            process.StandardInput.Close();
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("a consumer said nothing");
            reports.Add(JsonSerializer.Deserialize<ConsumerReport>(line)!);
            await process.WaitForExitAsync(cancellationToken);
            process.Dispose();
        }

        var cycle = await services.GetRequiredService<CycleStore>().ReadAsync(minute, cancellationToken);
        var written = cycle.Outcomes.GetValueOrDefault(Region)?.Count ?? 0;
        var minuteAt = clock.StartOf(minute);
        var done = reports.Where(r => r.LastDoneAt is not null).Select(r => r.LastDoneAt!.Value).Append(health.FinishedAt).Max() - minuteAt;
        var firstTaken = reports.Where(r => r.FirstTakenAt is not null).Select(r => r.FirstTakenAt!.Value - minuteAt).DefaultIfEmpty().Min();
        var batches = mainBatches + reports.Sum(r => r.Batches);
        return [
            consumers.ToString(CultureInfo.InvariantCulture),
            $"second {done.TotalSeconds:F1}",
            $"{written} of {health.Due}",
            $"{health.Shards} (first taken at second {firstTaken.TotalSeconds:F1}; {reports.Sum(r => r.Shards)} taken, {reports.Sum(r => r.Late)} of them past the deadline)",
            $"{health.Probed}, {peak.Max / 1e6:F0} MB",
            $"{reports.Max(r => r.PeakWorkingSet) / 1e6:F0} / {reports.Average(r => r.PeakWorkingSet) / 1e6:F0} MB",
            $"{batches / (double)Math.Max(1, written):F4} ({batches} $batch)",
            ProbeTimingBenchmark.LoadAverage(),
        ];
    }

    /// <summary>The `fanout-consumer` command: polls the region's shard queue until stdin closes, then reports on one JSON line.</summary>
    public static async Task<int> ConsumeAsync(CancellationToken cancellationToken)
    {
        var settings = JsonSerializer.Deserialize<Dictionary<string, string?>>(Environment.GetEnvironmentVariable(SettingsVariable)!)!;
        await using var services = Services(settings);
        var shards = services.GetRequiredService<ProbeShards>();
        var time = services.GetRequiredService<TimeProvider>();
        var clients = services.GetRequiredService<StorageClients>();
        var queue = StorageNames.ProbeShards(Region);
        using var requests = new RequestCounter();
        using var peak = new PeakWorkingSet();
        var taken = 0;
        var late = 0;
        long lastDone = 0;
        long firstTaken = 0;
        var poller = new QueuePoller(clients.Queue(queue), clients.Queue($"{queue}-poison"), HostJson.Load(), async (message, ct) =>
        {
            Interlocked.Increment(ref taken);
            Interlocked.CompareExchange(ref firstTaken, time.GetUtcNow().UtcTicks, 0);
            if (ShardMessage.Parse(message) is { } shard && time.GetUtcNow() >= shard.Deadline)
            {
                Interlocked.Increment(ref late);
            }

            await shards.ProbeAsync(message, ct);
            Interlocked.Exchange(ref lastDone, time.GetUtcNow().UtcTicks);
        }, NullLogger.Instance);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var polling = poller.RunAsync(stopping.Token);
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync(cancellationToken);
        await stopping.CancelAsync();
        await polling;
        var done = Interlocked.Read(ref lastDone);
        var first = Interlocked.Read(ref firstTaken);
        var report = new ConsumerReport(taken, late, requests.Snapshot().GetValueOrDefault("$batch"), peak.Max, done == 0 ? null : new DateTimeOffset(done, TimeSpan.Zero), first == 0 ? null : new DateTimeOffset(first, TimeSpan.Zero));
        Console.WriteLine(JsonSerializer.Serialize(report));
        return 0;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddServerlessMonitor(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), RuntimeMode.Local)
            .BuildServiceProvider();

    /// <summary>
    /// One monitor stored through the store, then its row copied for the rest under new ids and
    /// targets: one request per monitor instead of the store's two (its owner's pointer, which
    /// the cycle never reads), so 50,000 are seeded in minutes on a busy machine.
    /// </summary>
    private static async Task SeedAsync(ServiceProvider services, string http, int count, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var store = services.GetRequiredService<MonitorStore>();
        var first = Ids.New(Ids.Monitor);
        var definition = new MonitorDefinition("bench 0", ProbeType.Http, $"{http}/?m=0", 1, 10, ProbeExpect.None, 2, null, 15, 1, false, null, false);
        await store.CreateAsync(new MonitorRecord(first, "abench0000000000000000", definition, MonitorState.Up, now, now, now), cancellationToken);
        var table = services.GetRequiredService<StorageClients>().Table(StorageNames.Monitors);
        var template = (await table.GetEntityAsync<TableEntity>(first, "monitor", cancellationToken: cancellationToken)).Value;
        await Parallel.ForEachAsync(Enumerable.Range(1, count - 1), new ParallelOptions { MaxDegreeOfParallelism = SeedConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var row = new TableEntity(template.Where(p => p.Key is not ("odata.etag" or "Timestamp")).ToDictionary(p => p.Key, p => p.Value))
            {
                PartitionKey = Ids.New(Ids.Monitor),
                RowKey = "monitor",
                ["Name"] = $"bench {i}",
                ["Target"] = $"{http}/?m={i}",
            };
            await table.AddEntityAsync(row, ct);
        });
    }

    /// <param name="Shards">Shard messages taken from the queue.</param>
    /// <param name="Late">Of those, taken after their cycle's deadline (dropped unprobed).</param>
    /// <param name="Batches">Table transactions ($batch) this consumer sent: results and outcomes.</param>
    /// <param name="LastDoneAt">When its last shard finished.</param>
    /// <param name="FirstTakenAt">When it took its first shard: how soon the timer's instance had sent them.</param>
    private sealed record ConsumerReport(int Shards, int Late, int Batches, long PeakWorkingSet, DateTimeOffset? LastDoneAt, DateTimeOffset? FirstTakenAt);
}
