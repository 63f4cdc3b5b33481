using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.StatusPages;

/// <summary>
/// What anyone sees without a key: the page, its feed and the badges. Only the owner's public
/// monitors on a page appear; display names hide names and targets; private notes never show;
/// everything is encoded; CDNs may keep answers for a minute; unknown slugs and ids are 404s.
/// </summary>
public sealed class StatusPagePublicTests(StatusPagesRuntime rt) : IClassFixture<StatusPagesRuntime>
{
    [Fact]
    public async Task The_page_shows_the_chosen_public_monitors_encoded_with_display_names_hiding_targets_and_may_be_cached_for_a_minute()
    {
        var (_, key) = await rt.NewAccount();
        var shown = await rt.Monitor(key, "<script>alert(1)</script> API", paused: true);
        var hidden = await rt.Monitor(key, "internal-db-7", paused: true);
        var notOnPage = await rt.Monitor(key, "Not on the page", paused: true);
        var slug = StatusPageApiTests.Slug();
        await Publish(key, slug, "Acme & <Sons>", new { id = shown }, new { id = hidden, displayName = "Database" });

        var page = await rt.Api($"status/{slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("text/html; charset=utf-8", page.Headers["Content-Type"]);
        Assert.Equal("public, max-age=60", page.Headers["Cache-Control"]);
        Assert.Contains("default-src 'none'", page.Headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", page.Text, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\"", page.Text, StringComparison.Ordinal);
        Assert.Contains("<h1>Acme &amp; &lt;Sons&gt;</h1>", page.Text, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; API", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{rt.Target.Url}/", page.Text, StringComparison.Ordinal);
        Assert.Contains(">Database</h3>", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("internal-db-7", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Not on the page", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(notOnPage, page.Text, StringComparison.Ordinal);
        Assert.Equal(2 * 90, Count(page.Text, "<rect class=\"day"));
        Assert.Contains("Uptime, last 90 days: <strong>99.95 %</strong>", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_monitor_made_private_or_deleted_disappears_from_the_page_and_its_badges_go_404()
    {
        var (_, key) = await rt.NewAccount();
        var stays = await rt.Monitor(key, "Stays", paused: true);
        var turnsPrivate = await rt.Monitor(key, "Turns private", paused: true);
        var deleted = await rt.Monitor(key, "Gets deleted", paused: true);
        var slug = StatusPageApiTests.Slug();
        await Publish(key, slug, "Changing", new { id = stays }, new { id = turnsPrivate }, new { id = deleted });
        var before = await rt.Api($"status/{slug}");
        Assert.Contains("Turns private", before.Text, StringComparison.Ordinal);
        Assert.Contains("Gets deleted", before.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await rt.Api($"badges/{turnsPrivate}/status.svg")).Status);

        Assert.Equal(HttpStatusCode.OK, (await rt.Api($"monitors/{turnsPrivate}", HttpMethod.Patch, new { @public = false }, key)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await rt.Api($"monitors/{deleted}", HttpMethod.Delete, key: key)).Status);

        // The page is kept for a (here one-second) minute, so the change shows within one.
        var after = await Eventually.Get(
            async () => await rt.Api($"status/{slug}") is var p && !p.Text.Contains("Turns private", StringComparison.Ordinal) ? p : null,
            TimeSpan.FromSeconds(30),
            "the private monitor to leave the page");
        Assert.DoesNotContain("Gets deleted", after!.Text, StringComparison.Ordinal);
        Assert.Contains("Stays", after.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await rt.Api($"badges/{turnsPrivate}/status.svg")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await rt.Api($"badges/{deleted}/uptime.svg")).Status);
        Assert.Equal(HttpStatusCode.OK, (await rt.Api($"badges/{stays}/status.svg")).Status);
    }

    [Fact]
    public async Task Unknown_slugs_are_a_404_page_and_badges_of_monitors_not_public_or_on_no_page_are_404()
    {
        foreach (var path in new[] { $"status/{StatusPageApiTests.Slug()}", "status/NOPE", "status/a", $"status/{StatusPageApiTests.Slug()}/feed" })
        {
            var answer = await rt.Api(path);
            Assert.Equal(HttpStatusCode.NotFound, answer.Status);
            Assert.Equal("text/html; charset=utf-8", answer.Headers["Content-Type"]);
            Assert.Contains("No such status page", answer.Text, StringComparison.Ordinal);
        }

        var (_, key) = await rt.NewAccount();
        var publicOffPage = await rt.Monitor(key, "Public, on no page", paused: true);
        var privateOne = await rt.Monitor(key, "Private", isPublic: false, paused: true);
        foreach (var id in new[] { publicOffPage, privateOne, "m00000000000000000000", "nonsense" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await rt.Api($"badges/{id}/status.svg")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await rt.Api($"badges/{id}/uptime.svg")).Status);
        }
    }

    [Fact]
    public async Task Badges_are_svg_with_the_state_and_the_uptime_of_the_period_asked_for()
    {
        var (_, key) = await rt.NewAccount();
        var id = await rt.Monitor(key, "Badge", paused: true);
        await Publish(key, StatusPageApiTests.Slug(), "Badges", new { id });

        var status = await rt.Api($"badges/{id}/status.svg");
        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Equal("image/svg+xml; charset=utf-8", status.Headers["Content-Type"]);
        Assert.Equal("public, max-age=60", status.Headers["Cache-Control"]);
        var svg = XDocument.Parse(status.Text).Root!;
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Name);
        Assert.True(int.Parse((string)svg.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("20", (string?)svg.Attribute("height"));
        Assert.Equal("status: paused", (string?)svg.Attribute("aria-label"));

        var uptime = await rt.Api($"badges/{id}/uptime.svg?period=7d");
        Assert.Equal(HttpStatusCode.OK, uptime.Status);
        Assert.Equal("uptime 7d: 99.95%", (string?)XDocument.Parse(uptime.Text).Root!.Attribute("aria-label"));
        Assert.Contains("uptime 30d", (await rt.Api($"badges/{id}/uptime.svg")).Text, StringComparison.Ordinal);
        var bad = await rt.Api($"badges/{id}/uptime.svg?period=1y");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("period", bad.ErrorField);
    }

    [Fact]
    public async Task Incidents_show_with_their_public_notes_only_on_the_page_and_in_the_atom_and_rss_feeds()
    {
        var (_, key) = await rt.NewAccount();
        var id = await rt.Monitor(key, "Checkout", paused: true);
        var slug = StatusPageApiTests.Slug();
        await Publish(key, slug, "Shop", new { id, displayName = "Checkout & payments" });
        var opened = DateTimeOffset.UtcNow.AddHours(-3);
        var resolvedId = await StoreIncident(id, opened, IncidentStatus.Recovered, opened.AddMinutes(42));
        var openId = await StoreIncident(id, opened.AddHours(2), IncidentStatus.Alerting, null);
        await StoreIncident(id, opened.AddHours(1), IncidentStatus.Cancelled, opened.AddHours(1).AddMinutes(1));

        var note = await rt.Api($"incidents/{openId}/notes", body: new { text = "We are <looking> into it", @public = true }, key: key);
        Assert.Equal(HttpStatusCode.Created, note.Status);
        Assert.True((bool)note.Json!["public"]!);
        Assert.Equal(HttpStatusCode.Created, (await rt.Api($"incidents/{openId}/notes", body: new { text = "private: db password rotated" }, key: key)).Status);
        Assert.Equal(HttpStatusCode.Created, (await rt.Api($"incidents/{resolvedId}/notes", body: new { text = "Fixed the load balancer", @public = true }, key: key)).Status);

        var page = await Eventually.Get(
            async () => await rt.Api($"status/{slug}") is var p && p.Text.Contains("Fixed the load balancer", StringComparison.Ordinal) ? p : null,
            TimeSpan.FromSeconds(30),
            "the notes on the page");
        Assert.Contains("We are &lt;looking&gt; into it", page!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("db password", page.Text, StringComparison.Ordinal);
        Assert.Contains("Checkout &amp; payments: down", page.Text, StringComparison.Ordinal);
        Assert.Contains("Checkout &amp; payments: resolved", page.Text, StringComparison.Ordinal);
        Assert.Equal(2, Count(page.Text, "<article class=\"incident"));

        var atom = await rt.Api($"status/{slug}/feed");
        Assert.Equal("application/atom+xml; charset=utf-8", atom.Headers["Content-Type"]);
        Assert.Equal("public, max-age=60", atom.Headers["Cache-Control"]);
        var rss = await rt.Api($"status/{slug}/feed?format=rss");
        Assert.Equal("application/rss+xml; charset=utf-8", rss.Headers["Content-Type"]);
        foreach (var (text, formatter) in new (string, SyndicationFeedFormatter)[] { (atom.Text, new Atom10FeedFormatter()), (rss.Text, new Rss20FeedFormatter()) })
        {
            var feed = FeedChecks.Parse(text, formatter);
            var titles = feed.Items.Select(i => i.Title.Text).ToList();
            Assert.Equal(
                ["Update on Checkout & payments", "Update on Checkout & payments", "Checkout & payments is down", "Checkout & payments is back up", "Checkout & payments is down"],
                titles);
            var texts = feed.Items.Select(i => (i.Content as TextSyndicationContent)?.Text ?? i.Summary?.Text ?? string.Empty).ToList();
            Assert.Contains(texts, t => t == "Fixed the load balancer");
            Assert.Contains(texts, t => t == "We are <looking> into it");
            Assert.DoesNotContain(texts, t => t.Contains("password", StringComparison.Ordinal));
            Assert.Equal(feed.Items.Count(), feed.Items.Select(i => i.Id).Distinct().Count());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await rt.Api($"status/{slug}/feed?format=json")).Status);
    }

    private async Task Publish(string key, string slug, string title, params object[] monitors) =>
        Assert.Equal(HttpStatusCode.Created, (await rt.Api("status-pages", body: new { slug, title, monitors }, key: key)).Status);

    private async Task<string> StoreIncident(string monitorId, DateTimeOffset openedAt, IncidentStatus state, DateTimeOffset? closedAt)
    {
        var minute = openedAt.ToUnixTimeSeconds() / 60;
        var id = IncidentIds.Of(monitorId, minute);
        var record = new IncidentRecord(id, monitorId, new AlertedMonitor(monitorId, "Checkout", ProbeType.Http, "http://127.0.0.1/"), minute, openedAt, state, closedAt is null ? null : state == IncidentStatus.Recovered ? IncidentEnd.Recovered : IncidentEnd.Cancelled, closedAt);
        Assert.True(await rt.Services.GetRequiredService<IncidentStore>().CreateAsync(record, default));
        return id;
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;
}
