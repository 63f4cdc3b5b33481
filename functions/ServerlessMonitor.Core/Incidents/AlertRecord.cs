using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>One alert of an incident: to whom, over what, which one, and how its delivery stands.</summary>
/// <param name="Destination"><c>&lt;accountId&gt;:&lt;channelId&gt;</c>.</param>
/// <param name="Sequence">Failure alerts: 1 to 4; none for the recovery notice.</param>
public sealed record AlertRecord(DateTimeOffset At, string Destination, ChannelKind Channel, AlertKind Kind, int? Sequence, AlertStatus Status);
