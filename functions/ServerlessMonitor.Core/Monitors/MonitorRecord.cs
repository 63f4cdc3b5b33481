using Azure;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// A stored monitor: the owner's definition and what the system keeps about it. Named like
/// <c>KeyRecord</c>, and not <c>Monitor</c>, which every file would have to tell apart from
/// <c>System.Threading.Monitor</c>.
/// </summary>
/// <param name="StateChangedAt">When <paramref name="State"/> last changed; null before the first verdict.</param>
public sealed record MonitorRecord(
    string Id,
    string OwnerId,
    MonitorDefinition Definition,
    MonitorState State,
    DateTimeOffset? StateChangedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>SHA-256 of the Idempotency-Key the monitor was created with, if any: deleting it spends the key for good.</summary>
    public string? IdempotencyKeyHash { get; init; }

    /// <summary>The certificate last warned about, while it is still the one the probes see expiring.</summary>
    public WarnedCertificate? Certificate { get; init; }

    /// <summary>The row's version when read: config and state writes are conditional on it.</summary>
    public ETag ETag { get; init; }
}
