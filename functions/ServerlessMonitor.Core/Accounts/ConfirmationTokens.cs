using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// Confirmation tokens: <c>&lt;confirmation id&gt;.&lt;base36 expiry, unix s&gt;.&lt;22 base64url&gt;</c>. The
/// signature (HMAC-SHA256 under a key derived from SM_TOKEN_SECRET, cut to 128 bits) stops
/// forged and altered tokens before storage is read; the expiry is inside what is signed;
/// single use is the stored confirmation's job. Short enough for a link in one SMS.
/// </summary>
public sealed partial class ConfirmationTokens
{
    private readonly byte[] key;

    public ConfirmationTokens(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);

        // A purpose-bound key: the same setting may one day sign other things.
        key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), "serverless-monitor/confirmation-token/v1"u8);
    }

    public string Sign(string confirmationId, DateTimeOffset expiresAt)
    {
        if (!Ids.Is(confirmationId, Ids.Confirmation))
        {
            throw new ArgumentException("not a confirmation id", nameof(confirmationId));
        }

        var payload = $"{confirmationId}.{ToBase36(expiresAt.ToUnixTimeSeconds())}";
        return $"{payload}.{Mac(payload)}";
    }

    /// <summary>
    /// The confirmation id of a token this signer made that has not expired at <paramref name="now"/>;
    /// null for anything else (malformed, another key, altered, expired). Callers answer all of
    /// those alike, so the reason is not returned.
    /// </summary>
    public string? Verify(string token, DateTimeOffset now)
    {
        var m = Pattern().Match(token);
        if (!m.Success)
        {
            return null;
        }

        // Compare the text, not decoded bytes: base64 ignores the spare bits of the last
        // character, so two different strings could decode alike and an altered token pass.
        var expected = Encoding.ASCII.GetBytes(Mac($"{m.Groups[1].Value}.{m.Groups[2].Value}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(m.Groups[3].Value)))
        {
            return null;
        }

        return FromBase36(m.Groups[2].Value) > now.ToUnixTimeSeconds() ? m.Groups[1].Value : null;
    }

    private string Mac(string payload) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(payload)).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ToBase36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var text = new StringBuilder();
        do
        {
            text.Insert(0, digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return text.ToString();
    }

    /// <summary>At most 9 base-36 digits (the pattern says so), which fits a long.</summary>
    private static long FromBase36(string text) =>
        text.Aggregate(0L, (n, c) => (n * 36) + (c <= '9' ? c - '0' : c - 'a' + 10));

    [GeneratedRegex("^(f[a-z0-9]{20})\\.([0-9a-z]{1,9})\\.([A-Za-z0-9_-]{22})$")]
    private static partial Regex Pattern();
}
