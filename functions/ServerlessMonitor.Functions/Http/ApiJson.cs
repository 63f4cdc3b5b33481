using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ServerlessMonitor.Core;

namespace ServerlessMonitor.Functions.Http;

/// <summary>How every JSON answer of the API is written: camelCase, nulls left out, times in UTC with a Z.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new UtcTimeJsonConverter() },
    };
}
