using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// All an incident's policy needs to decide its next step; carried by the orchestration
/// (through continue-as-new too), so it is plain data that System.Text.Json round-trips.
/// </summary>
/// <param name="OpenedMinute">Minute of the verdict that opened it: M.</param>
/// <param name="LastVerdictMinute">Newest verdict applied; older or repeated verdicts are ignored.</param>
/// <param name="LastOutcome">That verdict's outcome: alerts fall due only while it is a failure.</param>
/// <param name="LastFailMinute">Newest failing verdict: decides whether the delay ends at M + d or M + d + 1.</param>
/// <param name="PassesInRow">Passing verdicts since the last failure (suppressed and unknown ones neither count nor reset).</param>
/// <param name="TimelineCount">Timeline entries so far: the position of the next one.</param>
/// <param name="OpenRun">The run of equal verdicts that is the timeline's last entry, which the next equal verdict extends.</param>
public sealed record IncidentState(
    string IncidentId,
    string MonitorId,
    long OpenedMinute,
    int AlertDelayMinutes,
    int RecoveryPasses,
    IncidentPhase Phase,
    IncidentEnd? End,
    long LastVerdictMinute,
    [property: JsonConverter(typeof(CamelCaseEnumConverter<VerdictOutcome>))] VerdictOutcome LastOutcome,
    long LastFailMinute,
    int PassesInRow,
    IReadOnlyList<DestinationState> Destinations,
    int TimelineCount,
    TimelineEntry? OpenRun)
{
    /// <summary>The state the API shows.</summary>
    [JsonIgnore]
    public IncidentStatus Status => Phase switch
    {
        IncidentPhase.Pending => IncidentStatus.Pending,
        IncidentPhase.Alerting => IncidentStatus.Alerting,
        _ => End == IncidentEnd.Recovered ? IncidentStatus.Recovered : IncidentStatus.Cancelled,
    };
}
