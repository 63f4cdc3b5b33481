using Azure;
using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Accounts.Channels;

/// <summary>
/// Where an account's alerts go: an address of one kind, pending until the address confirmed
/// it. The id is derived from account, kind and address, so adding an address twice finds the
/// same row.
/// </summary>
/// <param name="Address">The stored spelling (see <see cref="ChannelAddresses"/>).</param>
/// <param name="ExpiresAt">While pending: when it stops counting (its last link's expiry), and when the retention timer may delete it.</param>
/// <param name="ProtectedSecret">Webhooks: the signing secret as <see cref="Alerts.Webhooks.WebhookSecrets"/> encrypted it for this channel's id.</param>
/// <param name="ConfirmationsSent">Recent confirmation messages, for the resend limit.</param>
public sealed record Channel(
    string Id,
    string AccountId,
    ChannelKind Kind,
    string Address,
    ChannelStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? VerifiedAt,
    DateTimeOffset? ExpiresAt,
    string? ProtectedSecret,
    IReadOnlyList<DateTimeOffset> ConfirmationsSent,
    ETag ETag)
{
    /// <summary>A pending channel whose last link expired: as if it did not exist (not listed, not counted, replaced when added again).</summary>
    public bool IsExpired(DateTimeOffset now) => Status == ChannelStatus.Pending && ExpiresAt is { } expiry && expiry <= now;
}
