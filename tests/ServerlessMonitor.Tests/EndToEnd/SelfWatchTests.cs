using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.EndToEnd;

/// <summary>
/// Watching ourselves (issue 13, item 4) on the local runtime with three regions (eu primary)
/// and SM_OPERATOR_EMAIL set: a region taken down, or the primary with it its verdict step, is
/// an incident about the deployment, mailed to the operator under the same cap and recovery
/// rules as any monitor's incident.
/// </summary>
public sealed partial class SelfWatchTests
{
    private const string Operator = "ops@example.com";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task A_region_taken_down_alerts_the_operator_at_most_four_times_and_one_recovery_notice_follows_its_return()
    {
        await using var runtime = await LocalRuntime.StartAsync(Options());
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        var health = (await http.GetFromJsonAsync<JsonObject>("health"))!;
        Assert.Equal("ok", (string?)health["operator"]);
        await Eventually.True(async () => (await http.GetFromJsonAsync<JsonArray>("regions"))!.All(r => (bool?)r!["silent"] == false), Patience, "every region to beat");

        await SetRegion(http, "us", "down");
        var first = await Eventually.Get(async () => (await Mail(http, "DEPLOYMENT: region us silent")).FirstOrDefault(), Patience, "the operator's first alert about region us");
        Assert.Contains("Region us has not run its probe cycle", (string)first["body"]!, StringComparison.Ordinal);
        Assert.Contains("alert 1 of at most 4", (string)first["body"]!, StringComparison.Ordinal);

        await Eventually.True(async () => (await Mail(http, "DEPLOYMENT: region us silent")).Count == IncidentPolicy.MaxFailureAlerts, Patience, "four alerts, one a repeat interval after the other");

        // The fifth would be due a repeat after the fourth: let that time pass, and one more minute.
        var opened = MinuteOf(runtime, first);
        var fifthDue = opened + (IncidentPolicy.MaxFailureAlerts * SelfSubject.RepeatMinutes);
        await Eventually.True(() => runtime.Config.MinuteLength * (fifthDue + 2) < DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch, Patience, "the minute a fifth alert would be due to pass");

        await SetRegion(http, "us", "up");
        await Eventually.True(async () => (await Mail(http, "DEPLOYMENT RECOVERED: region us silent")).Count > 0, Patience, "the recovery notice");
        var failures = await Mail(http, "DEPLOYMENT: region us silent");
        Assert.Equal(
            Enumerable.Range(1, IncidentPolicy.MaxFailureAlerts).Select(n => $"alert {n} of at most 4"),
            failures.Select(m => AlertNumber().Match((string)m["body"]!).Value));
        Assert.Single(await Mail(http, "DEPLOYMENT RECOVERED: region us silent"));
        Assert.All(await Mail(http, "DEPLOYMENT"), m => Assert.Equal(Operator, (string?)m["to"]));
    }

    [Fact]
    public async Task The_primary_taken_down_stops_the_verdict_step_and_another_region_tells_the_operator_after_three_minutes()
    {
        await using var runtime = await LocalRuntime.StartAsync(Options());
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await Eventually.True(async () => (await http.GetFromJsonAsync<JsonObject>("health"))!["regions"]?["verdictAt"] is JsonValue, Patience, "the verdict step's first run");

        var down = DateTimeOffset.UtcNow;
        await SetRegion(http, "eu", "down");
        var alert = await Eventually.Get(async () => (await Mail(http, "DEPLOYMENT: verdict step not running")).FirstOrDefault(), Patience, "the operator's alert about the verdict step");
        Assert.Contains("primary region eu", (string)alert["body"]!, StringComparison.Ordinal);

        // Three minutes without a verdict, counted from the step's last run (at most a minute before it went down).
        var at = DateTimeOffset.Parse((string)alert["at"]!, CultureInfo.InvariantCulture);
        Assert.True(at - down >= runtime.Config.MinuteLength * 2, $"alerted {(at - down).TotalSeconds:F1} s after the primary went down");

        await SetRegion(http, "eu", "up");
        await Eventually.True(async () => (await Mail(http, "DEPLOYMENT RECOVERED: verdict step not running")).Count > 0, Patience, "the recovery notice");
        Assert.Single(await Mail(http, "DEPLOYMENT: verdict step not running"));
        Assert.Single(await Mail(http, "DEPLOYMENT RECOVERED: verdict step not running"));
    }

    [Fact]
    public async Task A_region_whose_network_is_cut_is_reported_untrusted_after_five_cycles_and_recovers_when_it_is_back()
    {
        await using var runtime = await LocalRuntime.StartAsync(Options());
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await Eventually.True(async () => (await http.GetFromJsonAsync<JsonArray>("regions"))!.All(r => (bool?)r!["trusted"] == true), Patience, "every region to be trusted");

        await SetRegion(http, "asia", "isolated");
        var alert = await Eventually.Get(async () => (await Mail(http, "DEPLOYMENT: region asia untrusted")).FirstOrDefault(), Patience, "the operator's alert about region asia");
        Assert.Contains("5 cycles in a row", (string)alert["body"]!, StringComparison.Ordinal);

        await SetRegion(http, "asia", "up");
        await Eventually.True(async () => (await Mail(http, "DEPLOYMENT RECOVERED: region asia untrusted")).Count > 0, Patience, "the recovery notice");
        // Repeats are a quarter of an hour apart: on a slow machine one may have fallen due meanwhile.
        var failures = await Mail(http, "DEPLOYMENT: region asia untrusted");
        Assert.Equal(Enumerable.Range(1, failures.Count).Select(n => $"alert {n} of at most 4"), failures.Select(m => AlertNumber().Match((string)m["body"]!).Value));
        Assert.Single(await Mail(http, "DEPLOYMENT RECOVERED: region asia untrusted"));
        Assert.Empty(await Mail(http, "DEPLOYMENT: region asia silent"));
    }

    private static LocalRuntimeOptions Options() => TestRuntime.Options($"self{Guid.NewGuid():N}"[..20], new()
    {
        ["SM_REGIONS"] = "eu,us,asia",
        ["SM_MINUTE_SECONDS"] = "1.5",
        ["SM_OPERATOR_EMAIL"] = Operator,
    }, withSamples: false);

    private static async Task SetRegion(HttpClient http, string region, string state) =>
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync($"dev/regions/{region}/{state}", null)).StatusCode);

    /// <summary>The operator's mails whose subject is exactly <paramref name="subject"/> (or, for "DEPLOYMENT", any about the deployment), oldest first.</summary>
    private static async Task<List<JsonNode>> Mail(HttpClient http, string subject) =>
        [.. (await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!
            .Select(m => m!)
            .Where(m => (string?)m["subject"] is { } s && (subject == "DEPLOYMENT" ? s.StartsWith(subject, StringComparison.Ordinal) : s == subject))];

    private static long MinuteOf(LocalRuntime runtime, JsonNode message) =>
        (long)Math.Floor((DateTimeOffset.Parse((string)message["at"]!, CultureInfo.InvariantCulture) - DateTimeOffset.UnixEpoch) / runtime.Config.MinuteLength);

    [System.Text.RegularExpressions.GeneratedRegex("alert [0-9] of at most 4")]
    private static partial System.Text.RegularExpressions.Regex AlertNumber();
}
