using Azure;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// A deleted monitor whose results, rollups and incidents the retention timer has yet to delete
/// (its tombstone). Written when the monitor is deleted, removed once its data is gone.
/// </summary>
public sealed record DeletedMonitor(string Id, DateTimeOffset DeletedAt)
{
    public ETag ETag { get; init; }
}
