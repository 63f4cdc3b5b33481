using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Probes;

/// <summary>Enums as the API spells them: `https`, `pop3`, `starttls`, `blocked`.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
