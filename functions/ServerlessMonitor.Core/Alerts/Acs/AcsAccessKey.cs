using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>
/// The endpoint and HMAC key of an ACS connection string (<c>endpoint=…;accesskey=…</c>).
/// The key never appears in a message or in <see cref="object.ToString"/>.
/// </summary>
public sealed class AcsAccessKey
{
    private AcsAccessKey(Uri endpoint, byte[] key)
    {
        Endpoint = endpoint;
        Key = key;
    }

    public Uri Endpoint { get; }

    internal byte[] Key { get; }

    /// <exception cref="SettingsException">The string lacks a part, or a part is malformed.</exception>
    public static AcsAccessKey Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("endpoint", out var endpointText) || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint))
        {
            throw new SettingsException(SettingCatalog.AcsConnectionString, "needs endpoint=<https URL>");
        }

        if (!parts.TryGetValue("accesskey", out var keyText) || !TryDecode(keyText, out var key))
        {
            throw new SettingsException(SettingCatalog.AcsConnectionString, "needs accesskey=<base64 key>");
        }

        return new AcsAccessKey(AcsEndpoint.Check(endpoint, SettingCatalog.AcsConnectionString), key);
    }

    public override string ToString() => $"ACS access key for {Endpoint}";

    private static bool TryDecode(string text, out byte[] key)
    {
        var buffer = new byte[text.Length];
        var ok = Convert.TryFromBase64String(text, buffer, out var length) && length > 0;
        key = buffer[..length];
        return ok;
    }
}
