using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Functions.Receivers;

/// <param name="Accept">Required: receive the monitor's alerts (true) or refuse them (false).</param>
/// <param name="Escalation">Your path over your own channels: 1–10 steps, afterMinutes 0–1440, 1–10 channel ids each (pending ones allowed); null: all your verified channels at once; absent: unchanged.</param>
/// <param name="RepeatMinutes">1–1440 minutes between repeated alerts to you; null: the monitor's; absent: unchanged.</param>
public sealed record ReceiverAnswerRequest(bool Accept, EscalationStep[]? Escalation, int? RepeatMinutes);
