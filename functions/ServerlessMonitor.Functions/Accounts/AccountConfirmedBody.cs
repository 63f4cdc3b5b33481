namespace ServerlessMonitor.Functions.Accounts;

/// <param name="Kind">account (also for a recovery link: a new key of an account).</param>
/// <param name="ApiKey">Shown this once; stored only as a hash.</param>
public sealed record AccountConfirmedBody(string Kind, string AccountId, string ApiKey);
