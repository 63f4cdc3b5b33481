using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessMonitor.Core.Alerts.Webhooks;

/// <summary>
/// The x-sm-signature header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>.
/// The time is signed with the body, so a receiver that refuses old timestamps cannot be fed a
/// recorded request again later; the key is the secret's UTF-8 bytes, <c>whsec_</c> included.
/// </summary>
public static class WebhookSignature
{
    public static string Header(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var signed = new byte[Encoding.UTF8.GetByteCount(t) + 1 + body.Length];
        var n = Encoding.UTF8.GetBytes(t, signed);
        signed[n] = (byte)'.';
        body.CopyTo(signed.AsSpan(n + 1));
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }
}
