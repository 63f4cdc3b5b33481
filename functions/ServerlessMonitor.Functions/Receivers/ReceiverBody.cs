using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>An invitation as the monitor's owner sees it.</summary>
/// <param name="Id">The receiver's id on this monitor: SHA-256 (hex) of the invited address.</param>
/// <param name="AccountId">The account that answered, once one did.</param>
public sealed record ReceiverBody(string Id, string Email, ReceiverStatus Status, string? AccountId, DateTimeOffset InvitedAt, DateTimeOffset? RespondedAt)
{
    public static ReceiverBody From(Receiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        return new ReceiverBody(receiver.EmailHash, receiver.Email, receiver.Status, receiver.AccountId, receiver.InvitedAt, receiver.RespondedAt);
    }
}
