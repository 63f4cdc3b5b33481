namespace ServerlessMonitor.Functions.Accounts;

/// <param name="ApiKey">The key: shown this once, stored only as a hash.</param>
public sealed record KeyCreatedBody(string Id, string ApiKey, bool ReadOnly, DateTimeOffset CreatedAt, string? Label);
