using System.Security.Cryptography;
using System.Text;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>The ids a delivery is known by, all derived from its idempotency key so every instance computes the same.</summary>
public static class DeliveryIds
{
    /// <summary>The row's key: 32 hex of sha256(key), so any key, however long or odd, makes a valid table key.</summary>
    public static string For(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)).AsSpan(0, 16));
    }

    /// <summary>Whether a text is a delivery id (queue messages are untrusted input).</summary>
    public static bool IsValid(string? id) => id is { Length: 32 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>
    /// The provider's request id for one series of tries: a version-4-shaped UUID (providers want a
    /// GUID for repeatability) from the key and the series, so a new series gets a new id and a
    /// repeat of the same series the same one.
    /// </summary>
    public static Guid RequestId(string idempotencyKey, int series)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{idempotencyKey}#{series}")).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
