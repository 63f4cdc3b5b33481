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
        Assert.Equal((1500L, 300L, 0L), ((long)body["downtimeSeconds"]!, (long)body["suppressedSeconds"]!, (long)body["maintenanceSeconds"]!));
        Assert.Equal(86_100L, (long)body["observedSeconds"]!);
        Assert.Equal(1 - (1500.0 / 86_100), (double)body["availability"]!, 12);
        Assert.Equal((86L, 86L - 1500), ((long)body["budgetSeconds"]!, (long)body["budgetLeftSeconds"]!));
        Assert.Equal(99.9, (double)body["target"]!);

        foreach (var csv in new[] { await t.Api($"monitors/{monitor}/uptime?period=24h&target=99.9&format=csv", key: key), await t.Api($"monitors/{monitor}/uptime?period=24h&target=99.9", key: key, accept: "text/csv") })
        {
            Assert.Equal(HttpStatusCode.OK, csv.Status);
            Assert.StartsWith("text/csv", csv.Header("Content-Type"), StringComparison.Ordinal);
            var lines = csv.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.Equal(Columns, lines[0].Split(','));
            var row = lines[1].Split(',');
            Assert.Equal(["24h", "1500", "300", "0", "86", "-1414", "99.9", "86100"], new[] { row[0], row[4], row[5], row[6], row[7], row[8], row[9], row[10] });
            Assert.Equal(1 - (1500.0 / 86_100), double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture), 12);
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
        Assert.InRange((long)fresh["observedSeconds"]!, (2 * 86_400L) - 5, 2 * 86_400L);
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
