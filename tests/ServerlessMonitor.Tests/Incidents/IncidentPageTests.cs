using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>The incident page an alert links to, on the local runtime: shown for a good link, 410 for altered or expired ones, everything encoded.</summary>
public sealed class IncidentPageTests : IAsyncLifetime
{
    private LocalRuntime runtime = null!;
    private HttpClient http = null!;
    private ServiceProvider core = null!;

    public async Task InitializeAsync()
    {
        runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"inc{Guid.NewGuid():N}"[..20], new() { ["SM_TOKEN_SECRET"] = AlertMessagesTests.Secret }, withSamples: false));
        http = new HttpClient { BaseAddress = runtime.ApiUrl };
        core = await CoreAccounts.StartAsync(runtime.StorageConnectionString, TimeProvider.System, tokenSecret: AlertMessagesTests.Secret);
    }

    public async Task DisposeAsync()
    {
        await core.DisposeAsync();
        http.Dispose();
        await runtime.DisposeAsync();
    }

    [Fact]
    public async Task The_link_in_an_alert_opens_the_incident_with_its_monitor_timeline_and_alerts_sent_with_every_text_encoded()
    {
        var id = await StoredIncident("<b>Shop</b> & \"front\"");
        var link = core.GetRequiredService<IncidentLinks>().For(id, DateTimeOffset.UtcNow);
        using var response = await http.GetAsync(new Uri(link).PathAndQuery.TrimStart('/')[4..]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        Assert.Contains("&lt;b&gt;Shop&lt;/b&gt; &amp; &quot;front&quot;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Shop</b>", html, StringComparison.Ordinal);
        Assert.Contains("https https://shop.example.com/?q=&lt;x&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Incident <strong>alerting</strong>", html, StringComparison.Ordinal);
        Assert.Contains("opened: failing from eu, us", html, StringComparison.Ordinal);
        Assert.Contains("3 verdicts fail (eu, us), minutes 29500001 to 29500003", html, StringComparison.Ordinal);
        Assert.Contains("failure 1 of at most 4</td><td>sms</td><td>sent", html, StringComparison.Ordinal);

        // Whoever holds the link sees no account or channel ids.
        Assert.DoesNotContain("a1:c1", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Altered_expired_and_foreign_links_get_a_410_page_and_a_good_link_to_a_missing_incident_a_404_page()
    {
        var id = await StoredIncident("Shop");
        var tokens = new IncidentPageTokens(AlertMessagesTests.Secret);
        var good = tokens.Sign(id, DateTimeOffset.UtcNow.AddDays(1));
        string[] refused =
        [
            good[..^1] + (good[^1] == 'A' ? 'B' : 'A'),
            tokens.Sign(id, DateTimeOffset.UtcNow.AddSeconds(-1)),
            new IncidentPageTokens(AlertMessagesTests.Secret + "-other").Sign(id, DateTimeOffset.UtcNow.AddDays(1)),
            "nonsense",
        ];
        foreach (var token in refused)
        {
            using var response = await http.GetAsync($"incident-pages/{Uri.EscapeDataString(token)}");
            Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("Link no longer valid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var missing = await http.GetAsync($"incident-pages/{tokens.Sign($"{Ids.New(Ids.Monitor)}-5", DateTimeOffset.UtcNow.AddDays(1))}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("No such incident", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> StoredIncident(string name)
    {
        const long m = 29_500_000;
        var monitor = Ids.New(Ids.Monitor);
        var id = IncidentIds.Of(monitor, m);
        var store = core.GetRequiredService<IncidentStore>();
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await store.CreateAsync(new IncidentRecord(id, monitor, new AlertedMonitor(monitor, name, ProbeType.Https, "https://shop.example.com/?q=<x>"), m, at, IncidentStatus.Alerting, null, null), default);
        await store.PutTimelineAsync(id, at, [new(0, TimelineKind.Opened, m, VerdictOutcome.Fail, ["eu", "us"]), new(1, TimelineKind.Recheck, m + 1), new(2, TimelineKind.Verdict, m + 1, VerdictOutcome.Fail, ["eu", "us"], 3, m + 3), new(3, TimelineKind.Alerting)], default);
        await store.PutAlertAsync(id, new AlertRecord(at.AddMinutes(2), "a1:c1", ChannelKind.Sms, AlertKind.Failure, 1, AlertStatus.Sent), default);
        return id;
    }
}
