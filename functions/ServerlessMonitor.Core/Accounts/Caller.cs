namespace ServerlessMonitor.Core.Accounts;

/// <summary>Who is calling: the account and key behind a request's API key.</summary>
public sealed record Caller(string AccountId, string KeyId, bool ReadOnly);
