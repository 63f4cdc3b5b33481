using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>An email address in its one stored spelling: trimmed, lower-case, at most 254 characters.</summary>
public static partial class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>The stored spelling, or null when the text is not an address we send to.</summary>
    public static string? Normalize(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        return value.Length <= MaxLength && Pattern().IsMatch(value) ? value : null;
    }

    // Deliberately plain: one @, a dotted domain, no spaces, quotes, angle brackets or control
    // characters. Addresses that need RFC 5322's quoting are not worth the risk in a mail header.
    [GeneratedRegex(@"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")]
    private static partial Regex Pattern();
}
