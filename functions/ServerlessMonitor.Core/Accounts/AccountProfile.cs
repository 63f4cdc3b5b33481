using Azure;

namespace ServerlessMonitor.Core.Accounts;

/// <param name="ExpiresAt">While pending: when the retention timer may delete the account (its last link's expiry).</param>
public sealed record AccountProfile(
    string Id,
    string Email,
    string? Name,
    AccountStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? ExpiresAt,
    ETag ETag);
