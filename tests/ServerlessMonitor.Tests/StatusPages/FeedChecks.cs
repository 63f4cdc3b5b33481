using System.ServiceModel.Syndication;
using System.Xml;

namespace ServerlessMonitor.Tests.StatusPages;

/// <summary>A feed read back with SyndicationFeed, and the elements RSS 2.0 and Atom 1.0 require checked.</summary>
public static class FeedChecks
{
    public static SyndicationFeed Parse(string xml, SyndicationFeedFormatter formatter)
    {
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        Assert.True(formatter.CanRead(reader), $"{formatter.GetType().Name} cannot read: {xml[..Math.Min(200, xml.Length)]}");
        formatter.ReadFrom(reader);
        var feed = formatter.Feed;
        Assert.False(string.IsNullOrWhiteSpace(feed.Title?.Text), "a feed needs a title");
        Assert.NotEmpty(feed.Links);
        if (formatter is Atom10FeedFormatter)
        {
            Assert.False(string.IsNullOrEmpty(feed.Id), "an Atom feed needs an id");
            Assert.NotEqual(default, feed.LastUpdatedTime);
            Assert.NotEmpty(feed.Authors);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(feed.Description?.Text), "an RSS channel needs a description");
        }

        foreach (var item in feed.Items)
        {
            Assert.False(string.IsNullOrWhiteSpace(item.Title?.Text), "every entry needs a title");
            Assert.False(string.IsNullOrEmpty(item.Id), "every entry needs an id (Atom id, RSS guid)");
            Assert.NotEmpty(item.Links);
            if (formatter is Atom10FeedFormatter)
            {
                Assert.NotEqual(default, item.LastUpdatedTime);
            }
            else
            {
                Assert.NotEqual(default, item.PublishDate);
            }
        }

        return feed;
    }
}
