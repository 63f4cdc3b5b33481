using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.EndToEnd;

/// <summary>
/// The whole pipeline on the local runtime, as a user meets it: sign up, add a monitor of a
/// failing loopback target, get the failure alert, see the target answer again, get the recovery
/// notice — probes, cycle, verdict step, incident orchestration on the real Durable Task engine,
/// delivery to the outbox.
/// </summary>
public sealed partial class IncidentFlowTests
{
    internal const string Email = "owner@example.com";
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_failing_target_alerts_its_owner_once_per_repeat_and_a_recovery_follows()
    {
        await using var target = new HttpTestServer();
        await using var runtime = await LocalRuntime.StartAsync(Options(target));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await SignUpAsync(http);

        var created = await http.PostAsJsonAsync("monitors", new
        {
            name = "Shop front",
            type = "http",
            target = $"{target.Url}/status/503",
            intervalMinutes = 1,
            timeoutSeconds = 2,
            alertDelayMinutes = 1,
            repeatMinutes = 2,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var monitorId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var down = await MessageAsync(http, m => (string?)m["to"] == Email && ((string?)m["subject"])?.StartsWith("DOWN", StringComparison.Ordinal) == true);
        Assert.Contains("Shop front", (string)down["subject"]!, StringComparison.Ordinal);
        Assert.Contains("/api/incident-pages/", (string)down["body"]!, StringComparison.Ordinal);

        // What failed, and where from: the failing verdict's region and its result of that minute.
        Assert.Contains("What failed: status:", (string)down["body"]!, StringComparison.Ordinal);
        Assert.Contains("Failing from: local", (string)down["body"]!, StringComparison.Ordinal);
        Assert.Contains("local: status:", (string)down["body"]!, StringComparison.Ordinal);
        Assert.Contains("(status 503)", (string)down["body"]!, StringComparison.Ordinal);

        var fixedTarget = await http.PatchAsJsonAsync($"monitors/{monitorId}", new { target = $"{target.Url}/" });
        Assert.Equal(HttpStatusCode.OK, fixedTarget.StatusCode);
        await MessageAsync(http, m => (string?)m["to"] == Email && ((string?)m["subject"])?.StartsWith("RECOVERED", StringComparison.Ordinal) == true);

        var incidents = await Eventually.Get(
            async () => (await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/incidents"))!.FirstOrDefault(i => (string?)i!["state"] == "recovered"),
            Patience,
            "the incident to be recorded as recovered");
        var alerts = incidents!["alerts"]!.AsArray();
        var failures = alerts.Count(a => (string?)a!["kind"] == "failure");
        Assert.InRange(failures, 1, 4);
        Assert.Single(alerts, a => (string?)a!["kind"] == "recovery");
        var outbox = (await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!;
        Assert.Equal(failures, outbox.Count(m => (string?)m!["to"] == Email && ((string?)m!["subject"])?.StartsWith("DOWN", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task A_target_that_answers_again_within_the_alert_delay_ends_its_incident_cancelled_and_nobody_is_alerted()
    {
        await using var target = new HttpTestServer();
        await using var runtime = await LocalRuntime.StartAsync(Options(target));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await SignUpAsync(http);

        var created = await http.PostAsJsonAsync("monitors", new
        {
            name = "Blip",
            type = "http",
            target = $"{target.Url}/status/500",
            intervalMinutes = 1,
            timeoutSeconds = 2,
            alertDelayMinutes = 5,
        });
        var monitorId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        await Eventually.True(
            async () => (await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/incidents"))!.Any(i => (string?)i!["state"] == "pending"),
            Patience,
            "an incident to open");

        Assert.Equal(HttpStatusCode.OK, (await http.PatchAsJsonAsync($"monitors/{monitorId}", new { target = $"{target.Url}/" })).StatusCode);
        var incident = await Eventually.Get(
            async () => (await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/incidents"))!.FirstOrDefault(i => (string?)i!["state"] == "cancelled"),
            Patience,
            "the incident to be cancelled");

        Assert.Empty(incident!["alerts"]!.AsArray());
        Assert.DoesNotContain((await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!, m => ((string?)m!["subject"])?.StartsWith("DOWN", StringComparison.Ordinal) == true);
    }

    private static LocalRuntimeOptions Options(HttpTestServer target) => TestRuntime.Options($"flow{Guid.NewGuid():N}"[..20], new()
    {
        ["SM_MINUTE_SECONDS"] = "3",
        ["SM_CANARY_TARGETS"] = $"127.0.0.1:{target.Port}",
    }, withSamples: false);

    /// <summary>Signs up through the outbox and sets the account's key on <paramref name="http"/>.</summary>
    internal static async Task SignUpAsync(HttpClient http)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("accounts", new { email = Email })).StatusCode);
        var confirmation = await MessageAsync(http, m => (string?)m["to"] == Email);
        using var confirm = new HttpRequestMessage(HttpMethod.Post, LinkPath().Match((string)confirmation["body"]!).Groups[1].Value)
        {
            Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
        };
        var confirmed = await http.SendAsync(confirm);
        var key = (string)(await confirmed.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    internal static Task<JsonNode> MessageAsync(HttpClient http, Func<JsonNode, bool> match) =>
        Eventually.Get(async () => (await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!.FirstOrDefault(m => match(m!)), Patience, "a message in the outbox")!;

    [GeneratedRegex(@"/api/(confirm/[^\s""<]+)")]
    private static partial Regex LinkPath();
}
