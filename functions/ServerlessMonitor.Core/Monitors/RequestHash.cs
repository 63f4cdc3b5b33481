using System.Security.Cryptography;
using System.Text.Json;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// A hash of a JSON request that ignores the order of object fields and whitespace, so that a
/// retried request is recognised even through a client that re-serialises it, while any change
/// of a value makes a different request.
/// </summary>
internal static class RequestHash
{
    public static string Of(JsonElement body)
    {
        using var buffer = new MemoryStream();
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            Write(writer, body);
        }
        catch (InvalidOperationException)
        {
            // A field name with a lone escaped surrogate cannot be read as text: such a body is refused anyway, hash it as sent.
            return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body.GetRawText())));
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                // Raw text: a lone escaped surrogate (valid JSON, not text) hashes as written instead of failing.
                writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
