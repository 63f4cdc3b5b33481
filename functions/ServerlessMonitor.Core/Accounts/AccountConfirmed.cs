namespace ServerlessMonitor.Core.Accounts;

/// <summary>What confirming a sign-up (or a recovery) gives: the account and a key, shown this once.</summary>
public sealed record AccountConfirmed(string AccountId, string ApiKey) : Confirmed;
