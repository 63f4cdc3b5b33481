namespace ServerlessMonitor.Functions.Accounts;

/// <summary>What a confirmation did, by kind (API.md): account <c>{kind, accountId, apiKey}</c>; channel <c>{kind, channelId, status: "verified"}</c>; receiver <c>{kind, monitorId, status: "accepted"}</c>.</summary>
/// <param name="Kind">account (also for a recovery link: a new key of an account), channel or receiver.</param>
/// <param name="ApiKey">account: shown this once; stored only as a hash.</param>
/// <param name="Status">channel: verified; receiver: accepted.</param>
public sealed record ConfirmedBody(string Kind, string? AccountId = null, string? ApiKey = null, string? ChannelId = null, string? MonitorId = null, string? Status = null);
