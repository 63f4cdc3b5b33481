using System.Text.Json;

namespace ServerlessMonitor.Core.Storage;

/// <summary>Recent request times kept in one string column (a JSON array of ISO times).</summary>
internal static class TimeList
{
    public static IReadOnlyList<DateTimeOffset> Read(string? json)
    {
        try
        {
            return json is null ? [] : JsonSerializer.Deserialize<List<DateTimeOffset>>(json) ?? [];
        }
        catch (JsonException)
        {
            // A damaged list only loosens a limit for one window; it must not lock the address out.
            return [];
        }
    }

    public static string Write(IEnumerable<DateTimeOffset> times) => JsonSerializer.Serialize(times.Select(t => t.ToUniversalTime()));
}
