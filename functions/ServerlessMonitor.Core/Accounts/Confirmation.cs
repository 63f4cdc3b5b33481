using Azure;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>An outstanding double opt-in; a token names it, and using it sets <paramref name="UsedAt"/> under its ETag.</summary>
/// <param name="AccountId">The account it is for: the one signing up, or whose channel or monitor it is.</param>
public sealed record Confirmation(
    string Id,
    ConfirmationKind Kind,
    string AccountId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt,
    ETag ETag)
{
    /// <summary>What it confirms within the account: the channel, or the monitor of an invitation.</summary>
    public string? SubjectId { get; init; }

    /// <summary>An invitation's address, as its SHA-256: the receiver row it accepts.</summary>
    public string? EmailHash { get; init; }
}
