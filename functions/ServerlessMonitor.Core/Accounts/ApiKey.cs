using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// An API key: <c>sm_&lt;accountId&gt;_&lt;keyId&gt;_&lt;43 base64url&gt;</c>. The ids let one point read find
/// its record; the secret is 256 random bits. Only SHA-256 of the whole key is stored: a slow
/// password hash protects guessable secrets, and a 256-bit random one cannot be guessed, so a
/// fast hash is as strong here and keeps every request cheap.
/// </summary>
/// <param name="Hash">SHA-256 of the whole key, hex: what is stored.</param>
public sealed partial record ApiKey(string AccountId, string KeyId, string Hash)
{
    /// <summary>A new key for the account: the text (shown once, never stored) and what is stored.</summary>
    public static (string Text, ApiKey Key) Generate(string accountId)
    {
        var keyId = Ids.New(Ids.Key);
        var text = $"sm_{accountId}_{keyId}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        return (text, new ApiKey(accountId, keyId, HashOf(text)));
    }

    /// <summary>The ids and hash of a well-formed key; null for anything else.</summary>
    public static ApiKey? Parse(string text)
    {
        var m = Pattern().Match(text);
        return m.Success ? new ApiKey(m.Groups[1].Value, m.Groups[2].Value, HashOf(text)) : null;
    }

    /// <summary>Constant-time comparison with a stored hash.</summary>
    public bool Matches(string storedHash)
    {
        Span<byte> stored = stackalloc byte[32];
        Span<byte> given = stackalloc byte[32];
        return Convert.FromHexString(storedHash, stored, out _, out var a) == System.Buffers.OperationStatus.Done && a == 32
            && Convert.FromHexString(Hash, given, out _, out var b) == System.Buffers.OperationStatus.Done && b == 32
            && CryptographicOperations.FixedTimeEquals(stored, given);
    }

    private static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^sm_(a[a-z0-9]{20})_(k[a-z0-9]{20})_([A-Za-z0-9_-]{43})$")]
    private static partial Regex Pattern();
}
