namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// The channel a message is for: an account's email, SMS or webhook channel. A webhook's signing
/// secret is looked up by it at send time, so the stored message holds a reference, never the secret.
/// </summary>
public sealed record MessageDestination(string AccountId, string ChannelId);
