using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// What the policy writes to an incident's timeline. Alerts and recovery notices join the
/// timeline from the alert records when it is shown (<c>alert</c>, <c>recovery-notice</c>).
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<TimelineKind>))]
public enum TimelineKind
{
    Opened,
    Recheck,
    Verdict,
    Alerting,
    Cancelled,
    Recovered,
    Paused,
    Deleted,
}
