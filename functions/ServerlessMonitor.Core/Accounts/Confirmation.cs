using Azure;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>An outstanding double opt-in; a token names it, and using it sets <paramref name="UsedAt"/> under its ETag.</summary>
public sealed record Confirmation(
    string Id,
    ConfirmationKind Kind,
    string AccountId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt,
    ETag ETag);
