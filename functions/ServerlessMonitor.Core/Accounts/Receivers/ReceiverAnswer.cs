using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Core.Accounts.Receivers;

/// <summary>
/// An invitee's answer, and the path it wants. A field left out keeps what the receiver had;
/// <c>null</c> resets it (escalation: all its verified channels at once; repeat: the monitor's).
/// </summary>
public sealed record ReceiverAnswer(bool Accept)
{
    public bool SetsEscalation { get; init; }

    /// <summary>Steps over the receiver's own channels, sorted by AfterMinutes, each step's channels distinct.</summary>
    public IReadOnlyList<EscalationStep>? Escalation { get; init; }

    public bool SetsRepeat { get; init; }

    public int? RepeatMinutes { get; init; }
}
