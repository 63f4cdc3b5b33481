namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// What one try came to (a channel's answer), or what a delivery has come to so far (the
/// sender's answer, which adds <see cref="Pending"/>).
/// </summary>
public abstract record DeliveryOutcome
{
    private DeliveryOutcome()
    {
    }

    /// <param name="ProviderId">The provider's handle for the message, when it gave one.</param>
    public sealed record Sent(string? ProviderId) : DeliveryOutcome;

    /// <param name="Status">The HTTP status of the answer, when there was one.</param>
    /// <param name="RetryAfter">How long the provider (or, for <see cref="OverQuota"/>, the budget) asked us to wait, when it did.</param>
    public sealed record Failed(RetryKind Retry, string Error, int? Status = null, TimeSpan? RetryAfter = null) : DeliveryOutcome
    {
        /// <summary>A try of the delivery ended without knowing whether the provider acted on it.</summary>
        public bool MayHaveBeenSent { get; init; }

        /// <summary>
        /// Refused before anything was stored or sent: confirmations have used their share of the
        /// sending budget. Nothing is kept, so the same call may succeed after <see cref="RetryAfter"/>;
        /// an HTTP caller answers 429 (or 503) with Retry-After.
        /// </summary>
        public bool OverQuota { get; init; }
    }

    /// <summary>
    /// Only the sender answers this: the message is stored and still under way, either being sent
    /// by another caller right now (<see cref="DeliveryStatus.Sending"/>) or waiting for a retry
    /// planned at <paramref name="NextAttemptAt"/> (<see cref="DeliveryStatus.Retrying"/>).
    /// </summary>
    public sealed record Pending(DeliveryStatus Status, DateTimeOffset? NextAttemptAt, string? LastError) : DeliveryOutcome;
}
