using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.EndToEnd;

/// <summary>
/// Uptime from real verdicts on the local runtime (short minutes): a loopback target stopped
/// until its owner is alerted shows as downtime that grows while the outage lasts, stops growing
/// at the recovery, and the availability climbs back as the target keeps answering.
/// </summary>
public sealed class UptimeFlowTests
{
    private const int MinuteSeconds = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task An_outage_shows_as_downtime_and_the_availability_comes_back_after_the_recovery()
    {
        await using var canary = new HttpTestServer();
        using var target = new ThreeRegionIncidentTests.SwitchableTarget();
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"uptime{Guid.NewGuid():N}"[..20], new()
        {
            ["SM_MINUTE_SECONDS"] = MinuteSeconds.ToString(CultureInfo.InvariantCulture),
            ["SM_CANARY_TARGETS"] = $"127.0.0.1:{canary.Port}",
        }, withSamples: false));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await IncidentFlowTests.SignUpAsync(http);
        var created = await http.PostAsJsonAsync("monitors", new { name = "Uptime", type = "tcp", target = $"127.0.0.1:{target.Port}", intervalMinutes = 1, timeoutSeconds = 2, alertDelayMinutes = 1, repeatMinutes = 600 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var monitorId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        await Eventually.True(async () => (string?)(await http.GetFromJsonAsync<JsonObject>($"monitors/{monitorId}"))!["state"] == "up", Patience, "the monitor to be up");
        var before = await UptimeAsync(http, monitorId);
        Assert.Equal((0L, 1.0), ((long)before["downtimeSeconds"]!, (double)before["availability"]!));

        target.Stop();
        await IncidentFlowTests.MessageAsync(http, m => ((string?)m["subject"])?.StartsWith("DOWN", StringComparison.Ordinal) == true);

        // Confirmed and still going: down up to now, growing.
        var during = (long)(await UptimeAsync(http, monitorId))["downtimeSeconds"]!;
        Assert.True(during > 0, $"downtime {during}");
        await Eventually.True(async () => (long)(await UptimeAsync(http, monitorId))["downtimeSeconds"]! > during, Patience, "the ongoing outage's downtime to grow");

        target.Start();
        await IncidentFlowTests.MessageAsync(http, m => ((string?)m["subject"])?.StartsWith("RECOVERED", StringComparison.Ordinal) == true);
        var incident = await Eventually.Get(
            async () => (await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/incidents"))!.FirstOrDefault(i => (string?)i!["state"] == "recovered"),
            Patience,
            "the incident to be recorded as recovered");
        var uptime = new TableServiceClient(runtime.StorageConnectionString).GetTableClient(StorageNames.Uptime);
        await Eventually.True(async () => !(await uptime.GetEntityIfExistsAsync<TableEntity>(monitorId, "now|outage")).HasValue, Patience, "the outage to be closed in the uptime rows");

        // Down from the first failing minute to the first passing one: at least the alert delay's
        // two failing minutes, at most the incident's life (it closed after that pass) and a minute.
        var after = await UptimeAsync(http, monitorId);
        var down = (long)after["downtimeSeconds"]!;
        var opened = DateTimeOffset.Parse((string)incident!["openedAt"]!, CultureInfo.InvariantCulture);
        var closed = DateTimeOffset.Parse((string)incident["closedAt"]!, CultureInfo.InvariantCulture);
        Assert.InRange(down, 2 * MinuteSeconds, (long)(closed - opened).TotalSeconds + MinuteSeconds);
        var availability = (double)after["availability"]!;
        Assert.InRange(availability, 0, 1 - double.Epsilon);
        Assert.Equal(availability, 1 - ((double)down / (long)after["observedSeconds"]!), 12);

        // Up again: the downtime stays and availability climbs with every second observed.
        var later = await Eventually.Get(
            async () => await UptimeAsync(http, monitorId) is var u && (double)u["availability"]! > availability ? u : null,
            Patience,
            "the availability to rise again");
        Assert.Equal(down, (long)later!["downtimeSeconds"]!);
        var csv = await http.GetStringAsync($"monitors/{monitorId}/uptime?period=24h&format=csv");
        Assert.StartsWith("period,from,to,availability,downtimeSeconds,", csv, StringComparison.Ordinal);
        Assert.Equal(down.ToString(CultureInfo.InvariantCulture), csv.Split("\r\n")[1].Split(',')[4]);
    }

    private static async Task<JsonObject> UptimeAsync(HttpClient http, string monitorId) =>
        (await http.GetFromJsonAsync<JsonObject>($"monitors/{monitorId}/uptime?period=24h&target=99.9"))!;
}
