using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessMonitor.Core.StatusPages;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Public status pages, in table <c>statuspages</c>:
/// <code>
///   PartitionKey = "page|&lt;slug&gt;"        RowKey "page"       the page: owner, title, monitors (JSON)
///   PartitionKey = "owner|&lt;accountId&gt;"  RowKey &lt;slug&gt;      a page the account owns
///   PartitionKey = "monitor|&lt;monitorId&gt;" RowKey &lt;slug&gt;      a page that lists the monitor (badges ask)
/// </code>
/// A page by slug is one point read, and the slug being the key is what keeps it unique across
/// the deployment. Pointers are written before the page and removed after it, so a crash leaves
/// at most a pointer to nothing (or to a page that no longer lists the monitor), which readers
/// check against the page itself.
/// </summary>
public sealed class StatusPageStore(StorageClients clients)
{
    private const string PageRow = "page";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => clients.Table(StorageNames.StatusPages);

    public async Task<StatusPage?> GetAsync(string slug, CancellationToken cancellationToken)
    {
        if (!StatusPageSlug.IsValid(slug))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(PagePartition(slug), PageRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? ToPage(slug, e) : null;
    }

    /// <summary>Stores a new page, pointers first; false when the slug is taken.</summary>
    public async Task<bool> CreateAsync(StatusPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        await UpsertPointerAsync(OwnerPartition(page.OwnerId), page.Slug, cancellationToken).ConfigureAwait(false);
        foreach (var monitor in page.Monitors)
        {
            await UpsertPointerAsync(MonitorPartition(monitor.Id), page.Slug, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await Table.AddEntityAsync(PageEntity(page), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }

    /// <summary>
    /// Replaces the page if it is unchanged since <paramref name="current"/> was read; false
    /// otherwise. Pointers of added monitors go first, those of dropped ones after.
    /// </summary>
    public async Task<bool> UpdateAsync(StatusPage current, StatusPage updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updated);
        var before = current.Monitors.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var after = updated.Monitors.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in after.Except(before))
        {
            await UpsertPointerAsync(MonitorPartition(id), updated.Slug, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await Table.UpdateEntityAsync(PageEntity(updated), current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.IsStale() || e.IsNotFound())
        {
            return false;
        }

        foreach (var id in before.Except(after))
        {
            await DeletePointerAsync(MonitorPartition(id), updated.Slug, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Deletes the page, then the pointers to it.</summary>
    public async Task DeleteAsync(StatusPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Table.DeleteEntityAsync(PagePartition(page.Slug), PageRow, ETag.All, cancellationToken).ConfigureAwait(false);
        foreach (var monitor in page.Monitors)
        {
            await DeletePointerAsync(MonitorPartition(monitor.Id), page.Slug, cancellationToken).ConfigureAwait(false);
        }

        await DeletePointerAsync(OwnerPartition(page.OwnerId), page.Slug, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Slugs of the pages the account owns (pointers: a half-made create counts until retried or refused).</summary>
    public Task<IReadOnlyList<string>> ListSlugsByOwnerAsync(string ownerId, CancellationToken cancellationToken) =>
        PointersAsync(OwnerPartition(ownerId), cancellationToken);

    /// <summary>The pages that list the monitor (pointers checked against the pages themselves).</summary>
    public async Task<IReadOnlyList<StatusPage>> ListByMonitorAsync(string monitorId, CancellationToken cancellationToken)
    {
        var pages = new List<StatusPage>();
        foreach (var slug in await PointersAsync(MonitorPartition(monitorId), cancellationToken).ConfigureAwait(false))
        {
            if (await GetAsync(slug, cancellationToken).ConfigureAwait(false) is { } page && page.Monitors.Any(m => m.Id == monitorId))
            {
                pages.Add(page);
            }
        }

        return pages;
    }

    private async Task<IReadOnlyList<string>> PointersAsync(string partition, CancellationToken cancellationToken)
    {
        var slugs = new List<string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            slugs.Add(e.RowKey);
        }

        return slugs;
    }

    private Task UpsertPointerAsync(string partition, string slug, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(partition, slug), TableUpdateMode.Replace, cancellationToken);

    private Task DeletePointerAsync(string partition, string slug, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(partition, slug, ETag.All, cancellationToken);

    private static TableEntity PageEntity(StatusPage page) => new(PagePartition(page.Slug), PageRow)
    {
        ["OwnerId"] = page.OwnerId,
        ["Title"] = page.Title,
        ["Monitors"] = JsonSerializer.Serialize(page.Monitors, Json),
        ["CreatedAt"] = page.CreatedAt,
        ["UpdatedAt"] = page.UpdatedAt,
    };

    private static StatusPage ToPage(string slug, TableEntity e) => new(
        slug,
        e.GetString("OwnerId"),
        e.GetString("Title"),
        JsonSerializer.Deserialize<List<StatusPageMonitor>>(e.GetString("Monitors") ?? "[]", Json) ?? [],
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("UpdatedAt") ?? default)
    {
        ETag = e.ETag,
    };

    private static string PagePartition(string slug) => $"page|{KeyPart.Checked(slug, nameof(slug))}";

    private static string OwnerPartition(string ownerId) => $"owner|{KeyPart.Checked(ownerId, nameof(ownerId))}";

    private static string MonitorPartition(string monitorId) => $"monitor|{KeyPart.Checked(monitorId, nameof(monitorId))}";
}
