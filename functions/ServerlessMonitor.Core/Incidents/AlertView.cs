using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>An alert as the API lists it: <c>destination</c> is <c>&lt;accountId&gt;:&lt;channelId&gt;</c>, <c>sequence</c> 1–4 for failure alerts.</summary>
public sealed record AlertView(
    DateTimeOffset At,
    string Destination,
    [property: JsonConverter(typeof(CamelCaseEnumConverter<ChannelKind>))] ChannelKind Channel,
    AlertKind Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Sequence,
    AlertStatus Status);
