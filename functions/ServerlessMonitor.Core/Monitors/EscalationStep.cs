namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// One step of an alert path: these channels are alerted <see cref="AfterMinutes"/> after the
/// alert delay ends. Channel ids belong to the account the path belongs to (the owner, or a receiver).
/// </summary>
public sealed record EscalationStep(int AfterMinutes, IReadOnlyList<string> Channels);
