using System.Security.Cryptography;
using System.Text;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Alerts.Webhooks;

/// <summary>
/// Webhook signing secrets, encrypted at rest (AES-256-GCM, key derived from SM_WEBHOOK_KEY) so
/// that a copy of the channels table signs nothing. Stored form: <c>v1.&lt;nonce&gt;.&lt;tag&gt;.&lt;ciphertext&gt;</c>
/// in base64url; the channel's id is bound in as associated data, so a secret moved to another
/// row does not decrypt.
/// </summary>
public sealed class WebhookSecrets
{
    private const string Prefix = "v1.";
    private readonly byte[]? key;

    public WebhookSecrets(MonitorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        key = config.WebhookKey is { } secret
            ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "serverless-monitor webhook secrets v1"u8.ToArray())
            : null;
    }

    /// <summary>False without SM_WEBHOOK_KEY: webhook channels cannot be added.</summary>
    public bool IsConfigured => key is not null;

    /// <summary>A new signing secret, shown to the channel's owner once.</summary>
    public static string NewSecret() => "whsec_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret, string channelId)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var plain = Encoding.UTF8.GetBytes(secret);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using var aes = new AesGcm(Key, tag.Length);
        aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(channelId));
        return $"{Prefix}{Base64Url(nonce)}.{Base64Url(tag)}.{Base64Url(cipher)}";
    }

    /// <summary>The secret, or null when the stored value is not one this key made for this channel.</summary>
    public string? Unprotect(string stored, string channelId)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal) || stored[Prefix.Length..].Split('.') is not [var n, var t, var c])
        {
            return null;
        }

        try
        {
            var nonce = FromBase64Url(n);
            var tag = FromBase64Url(t);
            var cipher = FromBase64Url(c);
            var plain = new byte[cipher.Length];
            using var aes = new AesGcm(Key, AesGcm.TagByteSizes.MaxSize);
            aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(channelId));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private byte[] Key => key ?? throw new InvalidOperationException($"{SettingCatalog.WebhookKey} is not set");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
