using Azure;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>What is known of an address: its account, and its recent sign-ups (for the per-address limit).</summary>
public sealed record EmailIndex(string EmailHash, string AccountId, IReadOnlyList<DateTimeOffset> Signups, ETag ETag);
