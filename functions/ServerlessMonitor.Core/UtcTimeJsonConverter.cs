using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core;

/// <summary>
/// Times on the wire are ISO-8601 UTC with milliseconds and a Z (API.md), as the TypeScript app
/// wrote them: "2026-11-29T20:21:13.079Z", never "+00:00" (which JSON escapes as \u002B).
/// </summary>
public sealed class UtcTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}
