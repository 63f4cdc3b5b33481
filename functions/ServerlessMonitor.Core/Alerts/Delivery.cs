using Azure;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// One message and how its delivery stands, as the <c>deliveries</c> table keeps it
/// (Storage/DeliveryStore has the layout). Every change is written under <see cref="ETag"/>.
/// </summary>
/// <param name="Id">sha256 of the idempotency key, 32 hex: one key, one row.</param>
/// <param name="Transport">Where the message went or goes; null when nothing here can carry its kind.</param>
/// <param name="RequestId">The provider's idempotency handle for the current series of tries.</param>
/// <param name="FirstSentAt">When the first try of the current series went out (ACS repeatability).</param>
/// <param name="MayHaveBeenSent">A try of this series ended without knowing whether the provider acted on it.</param>
/// <param name="LeaseUntil">While <see cref="DeliveryStatus.Sending"/>: until when the current caller owns the row.</param>
public sealed record Delivery(
    string Id,
    string IdempotencyKey,
    OutgoingMessage Message,
    DeliveryStatus Status,
    DeliveryTransport? Transport,
    int Attempts,
    Guid RequestId,
    DateTimeOffset FirstSentAt,
    bool MayHaveBeenSent,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public DateTimeOffset? LeaseUntil { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public string? LastError { get; init; }

    public int? LastStatus { get; init; }

    public string? ProviderId { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    public ETag ETag { get; init; }

    /// <summary>What a caller of the sender is told about this delivery.</summary>
    public DeliveryOutcome Outcome => Status switch
    {
        DeliveryStatus.Sent => new DeliveryOutcome.Sent(ProviderId),
        DeliveryStatus.Failed => new DeliveryOutcome.Failed(RetryKind.Never, LastError ?? "failed", LastStatus) { MayHaveBeenSent = MayHaveBeenSent },
        _ => new DeliveryOutcome.Pending(Status, Status == DeliveryStatus.Retrying ? NextAttemptAt : null, LastError),
    };
}
