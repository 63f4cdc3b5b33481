using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;

namespace ServerlessMonitor.Tests.Integration.Cycle;

/// <summary>GET /api/monitors/&lt;id&gt;/results and /rollups: strict queries, newest first, only for those who may read the monitor.</summary>
public sealed class ResultsRouteTests(AccountsRuntime t) : IClassFixture<AccountsRuntime>
{
    private static readonly CertificateWarning Warning = new(6, new DateTimeOffset(2026, 12, 5, 8, 30, 0, TimeSpan.Zero), "CN=shop.example", new string('c', 64), 14);

    private IServiceProvider Services => t.Runtime.ServicesOf(t.Runtime.Config.PrimaryRegion);

    [Fact]
    public async Task The_owner_reads_results_newest_first_in_the_default_day_with_errors_nulls_and_the_certificate_warning()
    {
        var (owner, key) = await t.NewAccount($"owner-{Guid.NewGuid():N}@example.com");
        var monitor = await AddMonitor(owner, isPublic: false);
        var now = Minute(DateTimeOffset.UtcNow);
        await Services.GetRequiredService<ResultStore>().WriteAsync(
        [
            Passed(monitor, "east", now.AddHours(-1)),
            Failed(monitor, "west", now.AddHours(-2)),
            Passed(monitor, "east", now.AddHours(-30)),
        ], default);

        var answer = await t.Api($"monitors/{monitor}/results", key: key);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("no-store", answer.Header("Cache-Control"));
        var items = answer.Json!.AsArray();
        Assert.Equal(2, items.Count);
        var newest = items[0]!;
        Assert.Equal(Iso(now.AddHours(-1)), (string)newest["minute"]!);
        Assert.Equal("east", (string)newest["region"]!);
        Assert.True((bool)newest["ok"]!);
        Assert.Equal(200, (int)newest["status"]!);
        Assert.Equal(6, (int)newest["certificateWarning"]!["daysLeft"]!);
        Assert.Equal("2026-12-05T08:30:00.000Z", (string)newest["certificateWarning"]!["expiresAt"]!);
        Assert.Equal("CN=shop.example", (string)newest["certificateWarning"]!["subject"]!);
        Assert.Equal(new string('c', 64), (string)newest["certificateWarning"]!["sha256"]!);
        var failed = items[1]!;
        Assert.Equal(("connect", "ECONNREFUSED", "connection refused"), ((string)failed["error"]!["class"]!, (string)failed["error"]!["code"]!, (string)failed["error"]!["message"]!));
        Assert.True(failed["phases"]!.AsObject().ContainsKey("tls"));
        Assert.Null(failed["phases"]!["tls"]);
        Assert.Null(failed["certificateWarning"]);

        var older = await t.Api($"monitors/{monitor}/results?from={Uri.EscapeDataString(Iso(now.AddDays(-2)))}&to={Uri.EscapeDataString(Iso(now))}&region=east", key: key);
        Assert.Equal(2, older.Json!.AsArray().Count);
        Assert.Single((await t.Api($"monitors/{monitor}/results?limit=1", key: key)).Json!.AsArray());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=5001", "limit")]
    [InlineData("from=2026-11-29T12:00:00", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("region=East", "region")]
    [InlineData("from=2026-11-29T12:00:00Z&to=2026-11-29T11:00:00Z", "from")]
    [InlineData("cursor=1", null)]
    public async Task A_bad_query_is_a_400_naming_its_field(string query, string? field)
    {
        var (owner, key) = await t.NewAccount($"q-{Guid.NewGuid():N}@example.com");
        var monitor = await AddMonitor(owner, isPublic: false);

        var answer = await t.Api($"monitors/{monitor}/results?{query}", key: key);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(("validation", field), (answer.ErrorCode, answer.ErrorField));
    }

    [Fact]
    public async Task Strangers_see_a_private_monitors_history_as_missing_and_a_public_ones_as_anyone()
    {
        var (owner, _) = await t.NewAccount($"o-{Guid.NewGuid():N}@example.com");
        var (_, strangerKey) = await t.NewAccount($"s-{Guid.NewGuid():N}@example.com");
        var hidden = await AddMonitor(owner, isPublic: false);
        var shown = await AddMonitor(owner, isPublic: true);
        var hour = Minute(DateTimeOffset.UtcNow).AddHours(-3);
        hour = hour.AddMinutes(-hour.Minute);
        await Services.GetRequiredService<RollupStore>().WriteAsync([new HourRollup(shown, hour, 60, 2, 12.5, 20, 30, 31, new Dictionary<string, int> { ["east"] = 60 })], default);

        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{hidden}/results", key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"monitors/{hidden}/rollups", key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api("monitors/not-an-id/results", key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await t.Api($"monitors/{shown}/results")).Status);
        Assert.Equal(HttpStatusCode.OK, (await t.Api($"monitors/{shown}/results", key: strangerKey)).Status);
        var rollups = await t.Api($"monitors/{shown}/rollups", key: strangerKey);
        var rollup = Assert.Single(rollups.Json!.AsArray())!;
        Assert.Equal((Iso(hour), 60, 2, 12.5, 60), ((string)rollup["hour"]!, (int)rollup["count"]!, (int)rollup["failures"]!, (double)rollup["p50"]!, (int)rollup["regions"]!["east"]!));
    }

    private async Task<string> AddMonitor(string owner, bool isPublic)
    {
        var now = DateTimeOffset.UtcNow;
        var id = Ids.New(Ids.Monitor);
        var definition = new MonitorDefinition("shop", ProbeType.Https, "https://shop.example/", 5, 10, ProbeExpect.None, 2, null, 15, 1, isPublic, null, false);
        Assert.True(await Services.GetRequiredService<MonitorStore>().CreateAsync(new MonitorRecord(id, owner, definition, MonitorState.Unknown, null, now, now), default));
        return id;
    }

    private static CycleResult Passed(string monitor, string region, DateTimeOffset minute) =>
        new(monitor, region, minute, minute.AddMilliseconds(40), new ProbeResult { Ok = true, Phases = new ProbePhases(1, 2, 6, 9, 10), Status = 200, RemoteAddress = "203.0.113.7", CertificateWarning = Warning });

    private static CycleResult Failed(string monitor, string region, DateTimeOffset minute) =>
        new(monitor, region, minute, minute.AddMilliseconds(40), new ProbeResult { Ok = false, Error = new ProbeError(ErrorClass.Connect, "connection refused", "ECONNREFUSED"), Phases = new ProbePhases(1, null, null, null, 2) });

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
