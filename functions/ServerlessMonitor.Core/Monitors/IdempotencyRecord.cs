using Azure;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// What an Idempotency-Key of one account stands for: the monitor its first request made and a
/// hash of that request, so a repeat can be told from a different request under the same key.
/// </summary>
/// <param name="KeyHash">SHA-256 of the key: keys are the client's text and never become table keys themselves.</param>
/// <param name="DeletedAt">When the monitor was deleted: from then on the key is spent, never a way to bring it back.</param>
public sealed record IdempotencyRecord(
    string OwnerId,
    string KeyHash,
    string MonitorId,
    string RequestHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeletedAt)
{
    public ETag ETag { get; init; }
}
