using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record KeyBody(string Id, bool ReadOnly, string? Label, DateTimeOffset CreatedAt)
{
    public static KeyBody From(KeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new KeyBody(key.Id, key.ReadOnly, key.Label, key.CreatedAt);
    }
}
