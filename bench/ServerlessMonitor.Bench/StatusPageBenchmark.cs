using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Bench;

/// <summary>
/// GET /api/status/&lt;slug&gt; of a page with 50 monitors (SM_BENCH_MONITORS) over 90 days of
/// data, through the real route on the local runtime (three regions, Azurite in memory): the
/// monitors are made through the API, their uptime months, 90 latency days and the last 48
/// hourly rollups written with the app's own stores (as the rollup timer and the incident
/// activities write them), and a few resolved incidents. Cold renders (the owner's PATCH drops
/// the page's cached copy before each) and warm ones (the minute-long cache answers),
/// SM_BENCH_RENDERS (default 100) of each; p50/p95/p99 in ms, with the load average.
/// </summary>
internal static class StatusPageBenchmark
{
    private static readonly string[] Regions = ["eu", "us", "asia"];

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("SM_BENCH_MONITORS") ?? "50", CultureInfo.InvariantCulture);
        var renders = int.Parse(Environment.GetEnvironmentVariable("SM_BENCH_RENDERS") ?? "100", CultureInfo.InvariantCulture);
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");

        await using var target = new HttpTestServer();
        await using var runtime = await IncidentBenchSupport.RuntimeAsync("status", new()
        {
            ["SM_REGIONS"] = string.Join(',', Regions),
            ["SM_CANARY_TARGETS"] = $"127.0.0.1:{target.Port}",
        });
        using var http = await IncidentBenchSupport.AccountAsync(runtime, "bench@example.com");
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await IncidentBenchSupport.MonitorAsync(http, new { name = $"Service {i + 1}", type = "http", target = $"{target.Url}/", intervalMinutes = 20, @public = true }));
        }

        var seeding = Stopwatch.StartNew();
        var services = runtime.ServicesOf(Regions[0]);
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(ids.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (m, ct) =>
            await SeedAsync(services, m.id, m.i, now, ct));
        Console.WriteLine($"seeded {count} monitors × 90 days in {seeding.Elapsed.TotalSeconds:F1} s");

        var slug = "bench-page";
        (await http.PostAsJsonAsync("status-pages", new { slug, title = "Benchmark status", monitors = ids.Select(id => new { id }) }, cancellationToken)).EnsureSuccessStatusCode();

        var bytes = 0;
        for (var i = 0; i < 5; i++)
        {
            bytes = (await http.GetByteArrayAsync($"status/{slug}", cancellationToken)).Length;
        }

        var cold = new List<double>();
        var warm = new List<double>();
        for (var i = 0; i < renders; i++)
        {
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"status-pages/{slug}") { Content = JsonContent.Create(new { title = $"Benchmark status {i}" }) };
            (await http.SendAsync(patch, cancellationToken)).EnsureSuccessStatusCode();
            cold.Add(await TimeAsync(http, slug, cancellationToken));
        }

        for (var i = 0; i < renders; i++)
        {
            warm.Add(await TimeAsync(http, slug, cancellationToken));
        }

        Console.WriteLine($"page: {count} monitors, {bytes / 1024} KiB of HTML; {renders} renders each");
        Stats.PrintTable(
            ["renders", "p50 ms", "p95 ms", "p99 ms", "max ms"],
            [Row("cold (read + render)", cold), Row("warm (cached minute)", warm)]);
        Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static IReadOnlyList<string> Row(string name, List<double> ms) =>
        [name, Stats.Fixed(Stats.Median(ms), 1), Stats.Fixed(Stats.Percentile(ms, 95), 1), Stats.Fixed(Stats.Percentile(ms, 99), 1), Stats.Fixed(ms.Max(), 1)];

    private static async Task<double> TimeAsync(HttpClient http, string slug, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync($"status/{slug}", HttpCompletionOption.ResponseContentRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>90 days of one monitor as the app would have stored them.</summary>
    private static async Task SeedAsync(IServiceProvider services, string id, int index, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var random = new Random(index);
        var start = now.AddDays(-91);

        // As if made 91 days ago: days before a monitor existed count as "no data".
        var monitors = services.GetRequiredService<StorageClients>().Table(StorageNames.Monitors);
        await monitors.UpdateEntityAsync(new TableEntity(id, "monitor") { ["CreatedAt"] = start }, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken);

        var down = new List<Span>();
        var suppressed = new List<Span>();
        for (var day = 1; day < 90; day += 1 + random.Next(12))
        {
            var from = start.AddDays(day).AddMinutes(random.Next(1440));
            var minutes = 1 + random.Next(index % 10 == 0 ? 240 : 20);
            down.Add(Span.Of(from, from.AddMinutes(minutes)));
            if (random.Next(4) == 0)
            {
                suppressed.Add(Span.Of(from.AddMinutes(minutes + 5), from.AddMinutes(minutes + 7)));
            }
        }

        await services.GetRequiredService<UptimeStore>().AddAsync(id, new Dictionary<UptimeKind, SpanSet> { [UptimeKind.Down] = SpanSet.Of(down), [UptimeKind.Suppressed] = SpanSet.Of(suppressed) }, cancellationToken);

        var uptime = services.GetRequiredService<UptimeStore>();
        for (var d = 0; d < 90; d++)
        {
            var day = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-d);
            await uptime.WriteLatencyDayAsync(id, new LatencyDay(day, Latency(random, 1440)), cancellationToken);
        }

        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var hours = Enumerable.Range(1, 48).Select(h => hour.AddHours(-h)).Select(at =>
        {
            var latency = Latency(random, 60);
            return new HourRollup(id, at, 180, 0, 40, 70, 120, 300, Regions.ToDictionary(r => r, _ => 60), latency);
        });
        await services.GetRequiredService<RollupStore>().WriteAsync(hours, cancellationToken);

        // A resolved incident for every fifth monitor: the page reads each monitor's incident list.
        if (index % 5 == 0 && down.Count > 0)
        {
            var minute = down[^1].Start / 60;
            var incidentId = IncidentIds.Of(id, minute);
            var opened = Span.At(down[^1].Start);
            await services.GetRequiredService<IncidentStore>().CreateAsync(
                new IncidentRecord(incidentId, id, new AlertedMonitor(id, $"Service {index + 1}", ProbeType.Http, "http://127.0.0.1/"), minute, opened, IncidentStatus.Recovered, IncidentEnd.Recovered, Span.At(down[^1].End)),
                cancellationToken);
        }
    }

    private static Dictionary<string, LatencyHistogram> Latency(Random random, int samples) =>
        Regions.ToDictionary(r => r, r => LatencyHistogram.Of(Enumerable.Range(0, samples).Select(_ => 20 + (random.NextDouble() * random.NextDouble() * 400))));
}
