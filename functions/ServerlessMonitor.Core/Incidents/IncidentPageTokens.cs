using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// Tokens of the read-only incident page an alert links to:
/// <c>&lt;incident id&gt;.&lt;base36 expiry, unix s&gt;.&lt;16 base64url&gt;</c>. The signature is an
/// HMAC-SHA256 cut to 96 bits (enough for a read-only link that expires, and short enough that
/// the link fits an SMS beside the news), under a key derived by HKDF from SM_TOKEN_SECRET with an info
/// string of its own, so no other token made from the same secret (a confirmation) can pass
/// for one of these. Whoever holds the link may read that one incident until it expires.
/// </summary>
public sealed partial class IncidentPageTokens
{
    /// <summary>How long a link works after the alert that carries it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private readonly byte[] key;

    public IncidentPageTokens(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: "serverless-monitor/incident-page-token/v1"u8.ToArray());
    }

    public string Sign(string incidentId, DateTimeOffset expiresAt)
    {
        if (!IncidentIds.TryParse(incidentId, out _, out _))
        {
            throw new ArgumentException("not an incident id", nameof(incidentId));
        }

        var payload = $"{incidentId}.{Base36.Format(expiresAt.ToUnixTimeSeconds())}";
        return $"{payload}.{Mac(payload)}";
    }

    /// <summary>
    /// The incident id of a token signed here that has not expired at <paramref name="now"/>; null
    /// for anything else (malformed, another key, altered, expired): the page answers all alike.
    /// </summary>
    public string? Verify(string? token, DateTimeOffset now)
    {
        var m = Pattern().Match(token ?? string.Empty);
        if (!m.Success)
        {
            return null;
        }

        // The text is compared, not decoded bytes: base64 ignores the spare bits of the last
        // character, so two strings could decode alike and an altered token pass.
        var expected = Encoding.ASCII.GetBytes(Mac($"{m.Groups[1].Value}.{m.Groups[2].Value}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(m.Groups[3].Value)))
        {
            return null;
        }

        return Base36.Parse(m.Groups[2].Value) > now.ToUnixTimeSeconds() ? m.Groups[1].Value : null;
    }

    private string Mac(string payload) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(payload)).AsSpan(0, 12)).Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^(m[a-z0-9]{20}-[0-9]{1,13})\\.([0-9a-z]{1,9})\\.([A-Za-z0-9_-]{16})$")]
    private static partial Regex Pattern();
}
