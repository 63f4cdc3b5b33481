using ServerlessMonitor.Core.Accounts.Channels;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// One place a monitor's alerts go: a verified channel of the owner or of a receiver that
/// accepted, with that account's timing.
/// </summary>
/// <param name="Key"><c>&lt;accountId&gt;:&lt;channelId&gt;</c>: stable, so dedupe keys (incident, destination, sequence) can use it.</param>
/// <param name="AfterMinutes">Minutes after the alert delay ends before it is first alerted.</param>
/// <param name="RepeatMinutes">Minutes between repeated failure alerts to it (the cap still applies).</param>
public sealed record Destination(string Key, string AccountId, Channel Channel, int AfterMinutes, int RepeatMinutes)
{
    public static string KeyOf(string accountId, string channelId) => $"{accountId}:{channelId}";
}
