using System.Net;
using System.Net.Http.Json;
using System.ServiceModel.Syndication;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using OpenQA.Selenium;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.StatusPages;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.EndToEnd;

/// <summary>
/// Issue 17's "done when", on the local runtime with the real uptime rollups: an owner publishes
/// a page of loopback monitors, the probes fill its uptime bars, monthly chart and latency
/// graphs; a target is stopped and the feed and badge say so, then it comes back and the
/// resolution follows; the page opens in Chromium without errors.
/// </summary>
public sealed class StatusPageFlowTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    [BrowserFact]
    public async Task A_published_page_fills_from_real_probes_and_an_outage_shows_in_the_feed_and_badge_and_then_its_resolution()
    {
        await using var canary = new HttpTestServer();
        await using var shop = new StoppableTarget();
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"spe{Guid.NewGuid():N}"[..20], new()
        {
            // One-second minutes: a scheduling hour (and so an hourly rollup) every minute.
            ["SM_MINUTE_SECONDS"] = "1",
            ["SM_CANARY_TARGETS"] = $"127.0.0.1:{canary.Port}",
        }, withSamples: false));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await IncidentFlowTests.SignUpAsync(http);

        var shopId = await MonitorAsync(http, "Shop", shop.Url);
        var apiId = await MonitorAsync(http, "API", $"{canary.Url}/");
        var slug = $"acme-{Guid.NewGuid().ToString("N")[..8]}";
        var published = await http.PostAsJsonAsync("status-pages", new { slug, title = "Acme status", monitors = new object[] { new { id = shopId, displayName = "Web shop" }, new { id = apiId } } });
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);

        // Both up, and a rollup has run: every monitor has latency points and today's bar has data.
        await Eventually.True(
            async () => await Page(http, slug) is var html
                && Count(html, ">Up</span>") == 2
                && !html.Contains("No passing probes in the last 30 days", StringComparison.Ordinal)
                && !html.Contains("No passing probes in this range", StringComparison.Ordinal),
            Patience,
            "both monitors up with latency from the rollups");
        Assert.Equal("status: up", await BadgeAsync(http, shopId));

        await shop.StopAsync();
        await Eventually.True(async () => (await FeedAsync(http, slug)).Items.Any(i => i.Title.Text == "Web shop is down"), Patience, "the outage in the feed");
        await Eventually.True(async () => await BadgeAsync(http, shopId) == "status: down", Patience, "the badge to say down");
        Assert.Contains("Web shop: down", await Page(http, slug), StringComparison.Ordinal);

        shop.Start();
        await Eventually.True(async () => (await FeedAsync(http, slug)).Items.Any(i => i.Title.Text == "Web shop is back up"), Patience, "the resolution in the feed");
        await Eventually.True(async () => await BadgeAsync(http, shopId) == "status: up", Patience, "the badge to say up");
        var rss = FeedChecks.Parse(await http.GetStringAsync($"status/{slug}/feed?format=rss"), new Rss20FeedFormatter());
        Assert.Equal(["Web shop is back up", "Web shop is down"], rss.Items.Select(i => i.Title.Text));
        Assert.StartsWith("uptime 30d: ", await BadgeAsync(http, shopId, "uptime.svg"), StringComparison.Ordinal);

        using var browser = new Browser(1280, 900);
        browser.Driver.Navigate().GoToUrl(new Uri(runtime.ApiUrl, $"status/{slug}"));
        Assert.Equal(["Web shop", "API"], browser.Driver.FindElements(By.CssSelector("article.monitor h3")).Select(e => e.Text));
        Assert.DoesNotContain(shop.Url, browser.Driver.PageSource, StringComparison.Ordinal);
        var monitors = browser.Driver.FindElements(By.CssSelector("article.monitor"));
        foreach (var monitor in monitors)
        {
            var days = monitor.FindElements(By.CssSelector("svg.days rect.day"));
            Assert.Equal(90, days.Count);
            Assert.DoesNotContain("nodata", days[^1].GetAttribute("class")!, StringComparison.Ordinal);
            Assert.NotEmpty(monitor.FindElements(By.CssSelector("svg.nines rect.month")));
            Assert.All(monitor.FindElements(By.CssSelector("figure.latency polyline.p50")), p => Assert.NotEmpty(p.GetAttribute("points")!.Trim()));
        }

        // The shop was down for a while today; the API never was.
        Assert.DoesNotContain(": 100 %", monitors[0].FindElements(By.CssSelector("svg.days rect.day"))[^1].GetAttribute("textContent")!, StringComparison.Ordinal);
        Assert.Contains(": 100 %", monitors[1].FindElements(By.CssSelector("svg.days rect.day"))[^1].GetAttribute("textContent")!, StringComparison.Ordinal);
        Assert.Contains("Web shop: resolved", browser.Driver.FindElement(By.Id("incidents")).FindElement(By.XPath("..")).Text, StringComparison.Ordinal);
        Assert.Empty(browser.ConsoleErrors());
        browser.SaveFullPage(StatusPageBrowserTests.ScreenshotFolder, "status-page-e2e-desktop.png");
    }

    private static async Task<string> MonitorAsync(HttpClient http, string name, string target)
    {
        var created = await http.PostAsJsonAsync("monitors", new { name, type = "http", target, intervalMinutes = 1, timeoutSeconds = 2, alertDelayMinutes = 0, @public = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private static async Task<string> Page(HttpClient http, string slug)
    {
        using var response = await http.GetAsync($"status/{slug}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<SyndicationFeed> FeedAsync(HttpClient http, string slug) =>
        FeedChecks.Parse(await http.GetStringAsync($"status/{slug}/feed"), new Atom10FeedFormatter());

    private static async Task<string?> BadgeAsync(HttpClient http, string monitorId, string kind = "status.svg") =>
        (string?)XDocument.Parse(await http.GetStringAsync($"badges/{monitorId}/{kind}")).Root!.Attribute("aria-label");

    private static int Count(string text, string what) => (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;
}
