using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.EndToEnd.IncidentFlowTests;

namespace ServerlessMonitor.Tests.EndToEnd;

/// <summary>
/// A blacklist monitor on the local runtime with short minutes, its lists served by a loopback
/// DNS server: the address is listed, and the owner gets a LISTED alert naming the list, the
/// code's meaning, the list's reason and its delisting page; the region that checks it loses its
/// network, so the next region takes the check; the address is delisted, and the DELISTED notice
/// follows. The first check runs the minute after the monitor is added and, while the incident is
/// open, rechecks run every SM_DNSBL_RECHECK_MINUTES (1 here): no test waits 4 hours.
/// </summary>
public sealed class DnsblFlowTests
{
    private const string Listed = "1.2.0.192.zen.spamhaus.org";

    [Fact]
    public async Task A_listing_alerts_with_the_lists_reason_and_the_delisting_sends_the_recovery_notice()
    {
        var zone = new ConcurrentDictionary<string, object>
        {
            [Listed] = new[] { DnsRecord.A("127.0.0.2"), DnsRecord.Txt("Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL7") },
        };
        await using var dns = new DnsTestServer(zone);
        await using var canary = new HttpTestServer();
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"dnsbl{Guid.NewGuid():N}"[..20], new Dictionary<string, string?>
        {
            ["SM_REGIONS"] = "east,west",
            ["SM_MINUTE_SECONDS"] = "3",
            ["SM_CANARY_TARGETS"] = $"127.0.0.1:{canary.Port}",
            ["SM_DNSBL_LISTS"] = "zen.spamhaus.org,bl.spamcop.net",
            ["SM_DNSBL_RESOLVER"] = $"127.0.0.1:{dns.Endpoint.Port}",
            ["SM_DNSBL_RECHECK_MINUTES"] = "1",
            ["SM_DNSBL_QUERIES_PER_SECOND"] = "100",
        }, withSamples: false));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await SignUpAsync(http);

        var created = await http.PostAsJsonAsync("monitors", new { name = "Outbound mail", type = "dnsbl", target = "192.0.2.1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var monitor = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var monitorId = (string)monitor["id"]!;
        Assert.Equal(240, (int)monitor["intervalMinutes"]!);
        Assert.Equal(0, (int)monitor["alertDelayMinutes"]!);

        var listed = await MessageAsync(http, m => (string?)m["to"] == Email && (string?)m["subject"] == "LISTED: Outbound mail");
        var body = (string)listed["body"]!;
        Assert.Contains("192.0.2.1 is listed on zen.spamhaus.org: 127.0.0.2 (SBL: Spamhaus Block List", body, StringComparison.Ordinal);
        Assert.Contains("\"Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL7\"", body, StringComparison.Ordinal);
        Assert.Contains("delist: https://check.spamhaus.org/", body, StringComparison.Ordinal);

        // The results keep each list's answer.
        var results = (await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/results"))!;
        var listings = results.First(r => (bool?)r!["ok"] == false)!["listings"]!.AsArray();
        var zen = listings.Single(l => (string?)l!["list"] == "zen.spamhaus.org")!;
        Assert.True((bool)zen["listed"]!);
        Assert.Equal("127.0.0.2", (string?)zen["code"]);
        Assert.Equal("https://check.spamhaus.org/", (string?)zen["delistUrl"]);
        Assert.False((bool)listings.Single(l => (string?)l!["list"] == "bl.spamcop.net")!["listed"]!);

        // The region that checks it loses its network: its checks learn nothing, so the other region takes them.
        var order = DnsblSchedule.RegionOrder(monitorId, ["east", "west"]);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync($"dev/regions/{order[0]}/isolated", null)).StatusCode);
        zone.TryRemove(Listed, out _);

        var delisted = await MessageAsync(http, m => (string?)m["to"] == Email && (string?)m["subject"] == "DELISTED: Outbound mail");
        Assert.Contains("is no longer listed on any blacklist checked", (string)delisted["body"]!, StringComparison.Ordinal);

        var after = (await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/results"))!;
        Assert.Contains(after, r => (string?)r!["region"] == order[1] && (bool?)r["ok"] == true);
        Assert.Contains(after, r => (string?)r!["region"] == order[0] && (string?)r["error"]?["code"] == "EDNSBL_UNCHECKED");
        var incident = await Eventually.Get(
            async () => (await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/incidents"))!.FirstOrDefault(i => (string?)i!["state"] == "recovered"),
            Patience,
            "the incident to be recorded as recovered");
        Assert.Single(incident!["alerts"]!.AsArray(), a => (string?)a!["kind"] == "recovery");
        var outbox = (await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!;
        Assert.Single(outbox, m => (string?)m!["subject"] == "DELISTED: Outbound mail");
    }
}
