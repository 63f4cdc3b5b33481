namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// How one destination wants to be alerted, read when alerts fall due: first
/// <paramref name="AfterMinutes"/> after the alert delay ends, then every <paramref name="RepeatMinutes"/>.
/// </summary>
/// <param name="Key">The destination, <c>&lt;accountId&gt;:&lt;channelId&gt;</c>.</param>
public sealed record DestinationPlan(string Key, int AfterMinutes, int RepeatMinutes);
