using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// One line of an incident's timeline as shown: <c>kind</c> is opened, recheck, verdict,
/// alerting, alert, recovery-notice, cancelled, recovered, paused or deleted; the other fields
/// are there when they apply (a run of verdicts: <c>count</c> and <c>lastMinute</c>).
/// </summary>
public sealed record TimelineItem(DateTimeOffset At, string Kind)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Minute { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(CamelCaseEnumConverter<VerdictOutcome>))]
    public VerdictOutcome? Outcome { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Regions { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Count { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastMinute { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Destination { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(CamelCaseEnumConverter<ChannelKind>))]
    public ChannelKind? Channel { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Sequence { get; init; }
}
