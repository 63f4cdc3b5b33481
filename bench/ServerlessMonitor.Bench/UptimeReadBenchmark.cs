using System.Diagnostics;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;
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
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;
using ServerlessMonitor.Local.Storage;

namespace ServerlessMonitor.Bench;

/// <summary>
/// The reads a status page makes (issue 17): for 50 monitors with 400 days of history (three
/// outages and a pause a month, 24 hourly rollups and 30 latency days with three regions each),
/// DailyAsync over 90 days, MonthlyAsync of 12, LatencyAsync hourly over 24 h and daily over
/// 30 days, all 50 monitors at once, 40 times, on Azurite. Reports the time per page (all four
/// reads of all 50 monitors) and per monitor, p50 and p95, and the table requests per monitor.
/// SM_BENCH_MONITORS sets another count.
/// </summary>
internal static class UptimeReadBenchmark
{
    private const int Rounds = 40;
    private static readonly string[] Regions = ["eu", "us", "asia"];

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("SM_BENCH_MONITORS"), CultureInfo.InvariantCulture, out var n) ? n : 50;
        await using var azurite = await AzuriteProcess.StartAsync(null, _ => { }, cancellationToken);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingCatalog.Storage] = azurite.ConnectionString,
            [SettingCatalog.DataDir] = Directory.CreateTempSubdirectory("sm-bench-uptime-").FullName,
        }).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddServerlessMonitor(configuration, RuntimeMode.Local)
            .BuildServiceProvider();
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(cancellationToken);

        var now = DateTimeOffset.UtcNow;
        Console.WriteLine($"seeding {count} monitors with 400 days of uptime and 30 days of latency…");
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await SeedAsync(services, now, i, cancellationToken));
        }

        var source = services.GetRequiredService<IUptimeSource>();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        async Task<double> MonitorAsync(string id)
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(
                source.DailyAsync(id, today.AddDays(-89), today, cancellationToken),
                source.MonthlyAsync(id, 12, now, cancellationToken),
                source.LatencyAsync(id, now.AddHours(-24), now, TimeSpan.FromHours(1), cancellationToken),
                source.LatencyAsync(id, now.AddDays(-30), now, TimeSpan.FromDays(1), cancellationToken));
            return watch.Elapsed.TotalMilliseconds;
        }

        async Task<double> OverviewAsync(string id)
        {
            var watch = Stopwatch.StartNew();
            await source.OverviewAsync(id, now, 90, 12, new UptimePeriod("90d", now.AddDays(-90), now), 99.9, cancellationToken);
            return watch.Elapsed.TotalMilliseconds;
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var (name, read) in new (string, Func<string, Task<double>>)[] { ("the four reads", MonitorAsync), ("OverviewAsync", OverviewAsync) })
        {
            // Warm up connections and the JIT, then measure.
            await Task.WhenAll(ids.Select(read));
            var pages = new List<double>();
            var monitors = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                monitors.AddRange(await Task.WhenAll(ids.Select(read)));
                pages.Add(watch.Elapsed.TotalMilliseconds);
            }

            // Requests counted in a round of their own: the listener's own cost stays out of the times.
            var total = 0;
            using (new AzureEventSourceListener((e, _) => Interlocked.Add(ref total, e.EventName == "Request" ? 1 : 0), EventLevel.Informational))
            {
                await Task.WhenAll(ids.Select(read));
            }

            rows.Add([$"{name}: page of {count} monitors at once", $"{Stats.Median(pages):F1} ms", $"{Stats.Percentile(pages, 95):F1} ms", $"{(double)total / count:F1}"]);
            rows.Add([$"{name}: one monitor inside a page", $"{Stats.Median(monitors):F1} ms", $"{Stats.Percentile(monitors, 95):F1} ms", string.Empty]);
        }

        Console.WriteLine($"uptime reads of a status page: {count} monitors, {Rounds} rounds; {Environment.ProcessorCount} CPUs, load average {ProbeTimingBenchmark.LoadAverage()}");
        Stats.PrintTable(["measure", "p50", "p95", "requests per monitor"], rows);
        return 0;
    }

    private static async Task<string> SeedAsync(IServiceProvider services, DateTimeOffset now, int i, CancellationToken cancellationToken)
    {
        var id = Ids.New(Ids.Monitor);
        var created = now.AddDays(-400);
        var definition = new MonitorDefinition($"bench {i}", ProbeType.Https, "https://shop.example/", 1, 10, ProbeExpect.None, 2, null, 15, 1, true, null, false);
        await services.GetRequiredService<MonitorStore>().CreateAsync(new MonitorRecord(id, "a-bench", definition, MonitorState.Up, null, created, created), cancellationToken);
        var store = services.GetRequiredService<UptimeStore>();
        var random = new Random(i);
        for (var month = 0; month < 14; month++)
        {
            var start = now.AddDays(-30 * month);
            var stretches = new Dictionary<UptimeKind, SpanSet>
            {
                [UptimeKind.Down] = SpanSet.Of(Enumerable.Range(0, 3).Select(k => Span.Of(start.AddDays(-k * 7).AddMinutes(-random.Next(10_000)), start.AddDays(-k * 7).AddMinutes(random.Next(1, 60))))),
                [UptimeKind.Maintenance] = SpanSet.Of(Span.Of(start.AddDays(-20), start.AddDays(-20).AddHours(2))),
            };
            await store.AddAsync(id, stretches, cancellationToken);
        }

        var rollups = services.GetRequiredService<RollupStore>();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var hours = Enumerable.Range(1, 24).Select(h => HourRollup.Of(id, hour.AddHours(-h), [.. Regions.SelectMany(r => Enumerable.Range(0, 60).Select(m => Result(id, r, hour.AddHours(-h).AddMinutes(m), random)))])).ToList();
        await rollups.WriteAsync(hours, cancellationToken);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var d = 0; d < 30; d++)
        {
            await store.WriteLatencyDayAsync(id, new LatencyDay(today.AddDays(-d), Regions.ToDictionary(r => r, r => LatencyHistogram.Of(Enumerable.Range(0, 1440).Select(_ => 40 + (random.NextDouble() * 20))))), cancellationToken);
        }

        return id;
    }

    private static CycleResult Result(string id, string region, DateTimeOffset minute, Random random) =>
        new(id, region, minute, minute, new ProbeResult { Ok = true, Phases = new ProbePhases(null, null, null, null, 40 + (random.NextDouble() * 20)) });
}
