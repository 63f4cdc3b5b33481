using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;
using ServerlessMonitor.Tests.Accounts;

namespace ServerlessMonitor.Tests.Integration.Uptime;

/// <summary>GET /api/monitors/&lt;id&gt;/uptime over HTTP on the local runtime: JSON and CSV, strict query, owner and receivers only.</summary>
public sealed class UptimeRouteTests(AccountsRuntime t) : IClassFixture<AccountsRuntime>
{
    private static readonly string[] Columns = ["period", "from", "to", "availability", "downtimeSeconds", "suppressedSeconds", "maintenanceSeconds", "budgetSeconds", "budgetLeftSeconds", "target", "observedSeconds"];

    private IServiceProvider Services => t.Runtime.ServicesOf(t.Runtime.Config.PrimaryRegion);

    [Fact]
    public async Task The_owner_gets_a_days_downtime_and_budget_as_json_and_the_same_as_csv()
    {
        var (owner, key) = await t.NewAccount($"owner-{Guid.NewGuid():N}@example.com");
        var monitor = await AddMonitorAsync(owner, isPublic: false);
        var now = DateTimeOffset.UtcNow;
        await Services.GetRequiredService<UptimeStore>().AddAsync(monitor, new Dictionary<UptimeKind, SpanSet>
        {
            [UptimeKind.Down] = SpanSet.Of(Span.Of(now.AddHours(-3), now.AddHours(-3).AddMinutes(30))),
            [UptimeKind.Suppressed] = SpanSet.Of(Span.Of(now.AddHours(-3), now.AddHours(-3).AddMinutes(5))),
        }, default);

        var json = await t.Api($"monitors/{monitor}/uptime?period=24h&target=99.9", key: key);

        Assert.Equal(HttpStatusCode.OK, json.Status);
        Assert.Equal("no-store", json.Header("Cache-Control"));
        var body = json.Json!;
        Assert.Equal("24h", (string)body["period"]!);
        Assert.Equal(TimeSpan.FromHours(24), DateTimeOffset.Parse((string)body["to"]!, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)body["from"]!, System.Globalization.CultureInfo.InvariantCulture));
        // The runtime's own cycles run meanwhile: minutes in which no monitor had evidence (say
        // its canaries cannot be reached here) are suppressed for every monitor, this one too.
        var suppressed = (long)body["suppressedSeconds"]!;
        var observed = 86_400 - suppressed;
        Assert.InRange(suppressed, 300, 300 + 3600);
        Assert.Equal((1500L, 0L, observed), ((long)body["downtimeSeconds"]!, (long)body["maintenanceSeconds"]!, (long)body["observedSeconds"]!));
        Assert.Equal(1 - (1500.0 / observed), (double)body["availability"]!, 12);
        var budget = (long)Math.Floor(observed * 0.001);
        Assert.Equal((budget, budget - 1500), ((long)body["budgetSeconds"]!, (long)body["budgetLeftSeconds"]!));
        Assert.Equal(99.9, (double)body["target"]!);

        foreach (var csv in new[] { await t.Api($"monitors/{monitor}/uptime?period=24h&target=99.9&format=csv", key: key), await t.Api($"monitors/{monitor}/uptime?period=24h&target=99.9", key: key, accept: "text/csv") })
        {
            Assert.Equal(HttpStatusCode.OK, csv.Status);
            Assert.StartsWith("text/csv", csv.Header("Content-Type"), StringComparison.Ordinal);
            var lines = csv.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.Equal(Columns, lines[0].Split(','));
            var row = lines[1].Split(',');
            var rowObserved = long.Parse(row[10], System.Globalization.CultureInfo.InvariantCulture);
            var rowBudget = (long)Math.Floor(rowObserved * 0.001);
            Assert.Equal(["24h", "1500", (86_400 - rowObserved).ToString(System.Globalization.CultureInfo.InvariantCulture), "0", $"{rowBudget}", $"{rowBudget - 1500}", "99.9"], new[] { row[0], row[4], row[5], row[6], row[7], row[8], row[9] });
            Assert.Equal(1 - (1500.0 / rowObserved), double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture), 12);
            Assert.Equal(TimeSpan.FromHours(24), DateTimeOffset.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task A_month_before_the_monitor_existed_has_no_availability_and_the_defaults_are_30_days_at_99_9()
    {
        var (owner, key) = await t.NewAccount($"month-{Guid.NewGuid():N}@example.com");
        var monitor = await AddMonitorAsync(owner, isPublic: false);

        var old = (await t.Api($"monitors/{monitor}/uptime?period=month:2020-02", key: key)).Json!;
        Assert.Equal(("month:2020-02", "2020-02-01T00:00:00.000Z", "2020-03-01T00:00:00.000Z"), ((string)old["period"]!, (string)old["from"]!, (string)old["to"]!));
        Assert.Null(old["availability"]);
        Assert.Equal(0L, (long)old["budgetSeconds"]!);

        var fresh = (await t.Api($"monitors/{monitor}/uptime", key: key)).Json!;
        Assert.Equal(("30d", 1.0, 99.9), ((string)fresh["period"]!, (double)fresh["availability"]!, (double)fresh["target"]!));
        Assert.InRange((long)fresh["observedSeconds"]! + (long)fresh["suppressedSeconds"]!, (2 * 86_400L) - 5, 2 * 86_400L);
    }

    [Theory]
    [InlineData("period=1y", "period")]
    [InlineData("period=month:2026-13", "period")]
    [InlineData("period=", "period")]
    [InlineData("target=abc", "target")]
    [InlineData("target=0", "target")]
    [InlineData("target=100.5", "target")]
    [InlineData("format=xml", "format")]
    [InlineData("period=7d&period=30d", "period")]
    [InlineData("since=yesterday", null)]
    public async Task A_bad_query_is_a_400_naming_its_field(string query, string? field)
    {
        var (owner, key) = await t.NewAccount($"q-{Guid.NewGuid():N}@example.com");
        var monitor = await AddMonitorAsync(owner, isPublic: false);

        var answer = await t.Api($"monitors/{monitor}/uptime?{query}", key: key);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(("validation", field), (answer.ErrorCode, answer.ErrorField));
    }

    [Fact]
    public async Task Receivers_read_it_strangers_get_404_for_a_private_monitor_and_403_for_a_public_one()
    {
        var (owner, _) = await t.NewAccount($"o-{Guid.NewGuid():N}@example.com");
        var (receiver, receiverKey) = await t.NewAccount($"r-{Guid.NewGuid():N}@example.com");
        var (_, strangerKey) = await t.NewAccount($"s-{Guid.NewGuid():N}@example.com");
        var hidden = await AddMonitorAsync(owner, isPublic: false);
        var shown = await AddMonitorAsync(owner, isPublic: true);
        var now = DateTimeOffset.UtcNow;
        var email = $"r-{Guid.NewGuid():N}@example.com";
        Assert.True(await Services.GetRequiredService<MonitorStore>().CreateReceiverAsync(new Receiver(hidden, Ids.Sha256Hex(email), email, ReceiverStatus.Accepted, receiver, null, null, now, now, []), default));

        Assert.Equal(HttpStatusCode.OK, (await t.Api($"monitors/{hidden}/uptime", key: receiverKey)).Status);
        var hiddenToStranger = await t.Api($"monitors/{hidden}/uptime", key: strangerKey);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (hiddenToStranger.Status, hiddenToStranger.ErrorCode));
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{Ids.New(Ids.Monitor)}/uptime", key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api("monitors/not-an-id/uptime", key: strangerKey)).Status);
        var shownToStranger = await t.Api($"monitors/{shown}/uptime", key: strangerKey);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (shownToStranger.Status, shownToStranger.ErrorCode));
        Assert.Equal(HttpStatusCode.Unauthorized, (await t.Api($"monitors/{hidden}/uptime")).Status);
    }

    [Fact]
    public async Task Rollups_answer_each_regions_percentiles_beside_the_exact_all_region_ones()
    {
        var (owner, key) = await t.NewAccount($"lat-{Guid.NewGuid():N}@example.com");
        var monitor = await AddMonitorAsync(owner, isPublic: false);
        var hour = DateTimeOffset.UtcNow.AddHours(-3);
        hour = new DateTimeOffset(hour.Year, hour.Month, hour.Day, hour.Hour, 0, 0, TimeSpan.Zero);
        var results = Enumerable.Range(1, 40).Select(i => new Core.Cycle.CycleResult(monitor, i % 2 == 0 ? "east" : "west", hour.AddMinutes(i), hour.AddMinutes(i), new ProbeResult { Ok = i != 7, Phases = new ProbePhases(null, null, null, null, i * 10) })).ToList();
        await Services.GetRequiredService<RollupStore>().WriteAsync([Core.Cycle.HourRollup.Of(monitor, hour, results)], default);

        var rollup = Assert.Single((await t.Api($"monitors/{monitor}/rollups", key: key)).Json!.AsArray())!;

        // All regions, exact: 10..400 ms without 70, nearest rank 20 of 39.
        Assert.Equal((40, 1, 210.0), ((int)rollup["count"]!, (int)rollup["failures"]!, (double)rollup["p50"]!));
        var east = rollup["latency"]!["east"]!;
        var west = rollup["latency"]!["west"]!;
        Assert.Equal((20, 19), ((int)east["count"]!, (int)west["count"]!));
        Assert.InRange((double)east["p50"]!, 200 / 1.02, 200 * 1.02);
        Assert.InRange((double)east["p99"]!, 400 / 1.02, 400);
        Assert.InRange((double)west["p90"]!, 370 / 1.02, 370 * 1.02);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_route_and_its_answers()
    {
        var operation = (await t.Api("openapi.json")).Json!["paths"]!["/monitors/{id}/uptime"]!["get"]!;
        Assert.Equal(["200", "400", "403", "404"], operation["responses"]!.AsObject().Select(r => r.Key).Where(k => k != "401").Order(StringComparer.Ordinal));
    }

    /// <summary>A monitor created two days ago.</summary>
    private async Task<string> AddMonitorAsync(string owner, bool isPublic)
    {
        var created = DateTimeOffset.UtcNow.AddDays(-2);
        var id = Ids.New(Ids.Monitor);
        var definition = new MonitorDefinition("shop", ProbeType.Https, "https://shop.example/", 5, 10, ProbeExpect.None, 2, null, 15, 1, isPublic, null, false);
        Assert.True(await Services.GetRequiredService<MonitorStore>().CreateAsync(new MonitorRecord(id, owner, definition, MonitorState.Unknown, null, created, created), default));
        return id;
    }
}
