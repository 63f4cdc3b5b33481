using ServerlessMonitor.Core.StatusPages;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>A status page as the owner's API answers it; <paramref name="Url"/> is the public page.</summary>
public sealed record StatusPageBody(string Slug, string Title, IReadOnlyList<StatusPageMonitor> Monitors, string Url, string FeedUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static StatusPageBody From(StatusPage page, string publicBase)
    {
        ArgumentNullException.ThrowIfNull(page);
        var url = $"{publicBase}/api/status/{page.Slug}";
        return new StatusPageBody(page.Slug, page.Title, page.Monitors, url, $"{url}/feed", page.CreatedAt, page.UpdatedAt);
    }
}
