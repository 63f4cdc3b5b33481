using System.Text.RegularExpressions;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>How a receiver is named in a path: its id (SHA-256 hex of the address) or the account that answered; anything else is a 404.</summary>
public static partial class ReceiverIds
{
    public static string Require(string? value) =>
        value is not null && Pattern().IsMatch(value) ? value : throw Refusal.NotFound("receiver");

    [GeneratedRegex("^(?:[0-9a-f]{64}|a[a-z0-9]{20})$")]
    private static partial Regex Pattern();
}
