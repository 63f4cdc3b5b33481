using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// The JSON of probe results and expectations: camelCase, absent fields left out (phases stay,
/// as null), unknown fields in an <c>expect</c> refused. Source-generated, so the first result a
/// process writes costs no reflection.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters = [typeof(UtcTimeJsonConverter)])]
[JsonSerializable(typeof(ProbeResult))]
[JsonSerializable(typeof(ProbeExpect))]
[JsonSerializable(typeof(DnsblListing[]))]
public sealed partial class ProbeJson : JsonSerializerContext
{
    /// <summary>A dnsbl result's listings as stored with the result.</summary>
    public static string SerializeListings(IReadOnlyList<DnsblListing> listings) =>
        JsonSerializer.Serialize([.. listings], Default.DnsblListingArray);

    public static IReadOnlyList<DnsblListing>? ParseListings(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, Default.DnsblListingArray);

    public static string Serialize(ProbeResult result, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            JsonSerializer.Serialize(writer, result, Default.ProbeResult);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>An <c>expect</c> object; throws <see cref="JsonException"/> on bad JSON or unknown fields.</summary>
    public static ProbeExpect ParseExpect(string json) =>
        JsonSerializer.Deserialize(json, Default.ProbeExpect) ?? throw new JsonException("expect must be an object");
}
