namespace ServerlessMonitor.Core.Accounts;

/// <summary>A stored API key: its hash, never the key.</summary>
public sealed record KeyRecord(string Id, string AccountId, string Hash, bool ReadOnly, string? Label, DateTimeOffset CreatedAt);
