using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using ServerlessMonitor.Core.StatusPages;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>
/// A page's incidents as a feed (System.ServiceModel.Syndication writes it): an entry when a
/// monitor went down, one per public note, and one when it came back; newest first. Atom by
/// default, RSS 2.0 on request. Entry ids are stable, so a reader shows each event once.
/// </summary>
public static class StatusPageFeed
{
    public static string Render(StatusPage page, IReadOnlyList<PublicIncident> incidents, string pageUrl, bool rss)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(incidents);
        var link = new Uri(pageUrl);
        var items = incidents.SelectMany(i => Entries(i, link)).OrderByDescending(e => e.LastUpdatedTime).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var feed = new SyndicationFeed($"{page.Title}: incidents", $"Outages of the monitors on {page.Title}, and their resolution.", link, pageUrl, items.Count > 0 ? items[0].LastUpdatedTime : page.UpdatedAt)
        {
            Items = items,
            Generator = "Serverless Monitor",
        };
        feed.Authors.Add(new SyndicationPerson { Name = page.Title });

        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { Encoding = Encoding.UTF8, Indent = true }))
        {
            if (rss)
            {
                new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: false).WriteTo(writer);
            }
            else
            {
                new Atom10FeedFormatter(feed).WriteTo(writer);
            }
        }

        // StringBuilder output is declared UTF-16; the bytes sent are UTF-8.
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    private static IEnumerable<SyndicationItem> Entries(PublicIncident incident, Uri link)
    {
        var anchor = $"{link}#incident-{incident.Id}";
        yield return Item($"{incident.MonitorName} is down", $"{incident.MonitorName} has been failing its checks since {Svg.Time(incident.OpenedAt)}.", link, $"{anchor}-opened", incident.OpenedAt);
        foreach (var note in incident.Notes)
        {
            yield return Item($"Update on {incident.MonitorName}", note.Text, link, $"{anchor}-note-{note.At.UtcTicks}", note.At);
        }

        if (!incident.Open && incident.ClosedAt is { } closed)
        {
            yield return Item($"{incident.MonitorName} is back up", $"{incident.MonitorName} passes its checks again since {Svg.Time(closed)}, after {DayBars.Duration((long)(closed - incident.OpenedAt).TotalSeconds)} down.", link, $"{anchor}-resolved", closed);
        }
    }

    private static SyndicationItem Item(string title, string text, Uri link, string id, DateTimeOffset at) =>
        new(title, text, link, id, at) { PublishDate = at };
}
