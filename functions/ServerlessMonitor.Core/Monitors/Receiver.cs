using Azure;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// An address invited to receive a monitor's alerts, and the account that answered. The
/// receiver's id is the SHA-256 of the invited address, so the address is never a key.
/// </summary>
/// <param name="AccountId">The account that answered the invitation; null until one did.</param>
/// <param name="Escalation">The receiver's own path over its own channels; null: all its verified channels at once.</param>
/// <param name="RepeatMinutes">The receiver's repeat interval; null: the monitor's.</param>
/// <param name="InvitesSent">When invitation messages went out (recent ones), for the resend limit.</param>
public sealed record Receiver(
    string MonitorId,
    string EmailHash,
    string Email,
    ReceiverStatus Status,
    string? AccountId,
    IReadOnlyList<EscalationStep>? Escalation,
    int? RepeatMinutes,
    DateTimeOffset InvitedAt,
    DateTimeOffset? RespondedAt,
    IReadOnlyList<DateTimeOffset> InvitesSent)
{
    /// <summary>The row's version when read; default for a receiver not stored yet.</summary>
    public ETag ETag { get; init; }
}
