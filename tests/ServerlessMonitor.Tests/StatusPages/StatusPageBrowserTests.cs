using System.Net;
using OpenQA.Selenium;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.StatusPages;

/// <summary>
/// The public page in headless Chromium, as a visitor opens it: it loads with no console
/// errors and no script, shows its monitors with their states, and its charts have one bar per
/// day and month and one point per step of seeded data. Screenshots at phone and desktop widths
/// are left in &lt;test output&gt;/screenshots/status-page-{phone,desktop}.png for a person to look at.
/// </summary>
public sealed class StatusPageBrowserTests(StatusPagesRuntime rt) : IClassFixture<StatusPagesRuntime>
{
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    [BrowserFact]
    public async Task The_page_loads_without_console_errors_shows_its_monitors_and_draws_every_bar_and_point_of_the_data()
    {
        var (_, key) = await rt.NewAccount();
        var up = await rt.Monitor(key, "Public API");
        var down = await rt.Monitor(key, "Checkout", path: "/status/503");
        var paused = await rt.Monitor(key, "Legacy FTP", paused: true);
        var slug = StatusPageApiTests.Slug();
        Assert.Equal(HttpStatusCode.Created, (await rt.Api("status-pages", body: new
        {
            slug,
            title = "Acme Cloud status",
            monitors = new object[] { new { id = up, displayName = "Public API" }, new { id = down, displayName = "Checkout" }, new { id = paused } },
        }, key: key)).Status);
        await Eventually.True(
            async () => await rt.Api($"status/{slug}") is var p && p.Text.Contains(">Up</span>", StringComparison.Ordinal) && p.Text.Contains(">Down</span>", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            "the probes to decide one monitor up and one down");

        using var browser = new Browser(1280, 900);
        browser.Driver.Navigate().GoToUrl(new Uri(rt.Runtime.ApiUrl, $"status/{slug}"));

        Assert.Equal("Acme Cloud status", browser.Driver.FindElement(By.TagName("h1")).Text);
        Assert.Equal(["Public API", "Checkout", "Legacy FTP"], browser.Driver.FindElements(By.CssSelector("article.monitor h3")).Select(e => e.Text));
        Assert.Equal(["Up", "Down", "Paused"], browser.Driver.FindElements(By.CssSelector("article.monitor .state")).Select(e => e.Text));
        Assert.Contains("1 of 3 monitors are down.", browser.Driver.FindElement(By.CssSelector(".summary")).Text, StringComparison.Ordinal);
        Assert.Empty(browser.Driver.FindElements(By.TagName("script")));

        foreach (var monitor in browser.Driver.FindElements(By.CssSelector("article.monitor")))
        {
            // 90 days, the oldest 30 without data; 12 months, 4 with data; two regions, each with a
            // 24-hour chart (24 hourly steps) and a 30-day chart (30 daily steps), one step a gap.
            Assert.Equal(90, monitor.FindElements(By.CssSelector("svg.days rect.day")).Count);
            Assert.Equal(90 - SeededUptime.DaysWithData, monitor.FindElements(By.CssSelector("svg.days rect.nodata")).Count);
            Assert.Equal(SeededUptime.MonthsWithData, monitor.FindElements(By.CssSelector("svg.nines rect.month")).Count);
            Assert.Equal(5, monitor.FindElements(By.CssSelector("svg.nines line.nine")).Count);
            var charts = monitor.FindElements(By.CssSelector("figure.latency svg"));
            Assert.Equal(SeededUptime.Regions.Length * 2, charts.Count);
            foreach (var chart in charts)
            {
                var steps = chart.FindElement(By.TagName("title")).GetAttribute("textContent")!.Contains("24 hours", StringComparison.Ordinal) ? 24 : 30;
                foreach (var line in new[] { "p50", "p90", "p99" })
                {
                    var points = chart.FindElement(By.CssSelector($"polyline.{line}")).GetAttribute("points")!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    Assert.Equal(SeededUptime.PointsIn(steps), points.Length);
                }
            }

            // Every chart is labelled for those who cannot see it.
            foreach (var svg in monitor.FindElements(By.CssSelector("svg[role=img]")))
            {
                var labels = svg.GetAttribute("aria-labelledby")!.Split(' ');
                Assert.All(labels, id => Assert.NotEmpty(browser.Driver.FindElement(By.Id(id)).GetAttribute("textContent")!));
            }
        }

        Assert.Empty(browser.ConsoleErrors());
        var desktop = browser.SaveFullPage(ScreenshotFolder, "status-page-desktop.png");

        using var phone = new Browser(390, 844);
        phone.Driver.Navigate().GoToUrl(new Uri(rt.Runtime.ApiUrl, $"status/{slug}"));
        Assert.Equal(3, phone.Driver.FindElements(By.CssSelector("article.monitor")).Count);
        var overflow = Convert.ToInt64(phone.Driver.ExecuteScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, overflow);
        Assert.Empty(phone.ConsoleErrors());
        var mobile = phone.SaveFullPage(ScreenshotFolder, "status-page-phone.png");
        Assert.True(new FileInfo(desktop).Length > 0 && new FileInfo(mobile).Length > 0);
    }

    [BrowserFact]
    public async Task The_unknown_slug_page_badge_and_feed_open_in_the_browser_without_errors()
    {
        var (_, key) = await rt.NewAccount();
        var id = await rt.Monitor(key, "Badge", paused: true);
        var slug = StatusPageApiTests.Slug();
        Assert.Equal(HttpStatusCode.Created, (await rt.Api("status-pages", body: new { slug, title = "Badges", monitors = new object[] { new { id } } }, key: key)).Status);

        using var browser = new Browser(800, 600);
        browser.Driver.Navigate().GoToUrl(new Uri(rt.Runtime.ApiUrl, $"status/{StatusPageApiTests.Slug()}"));
        Assert.Equal("No such status page", browser.Driver.FindElement(By.TagName("h1")).Text);

        // The 404 itself is the one error a browser reports for it; nothing else may be.
        Assert.All(browser.ConsoleErrors(), e => Assert.Contains("404", e, StringComparison.Ordinal));

        browser.Driver.Navigate().GoToUrl(new Uri(rt.Runtime.ApiUrl, $"badges/{id}/status.svg"));
        var svg = browser.Driver.FindElement(By.CssSelector("svg"));
        Assert.Equal("status: paused", svg.GetAttribute("aria-label"));
        Assert.True(svg.Size.Width > 0 && svg.Size.Height == 20);
        Assert.Empty(browser.ConsoleErrors());
    }
}
