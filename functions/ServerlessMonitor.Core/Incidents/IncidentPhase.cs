using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>Where an incident is in its life, as the policy sees it.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<IncidentPhase>))]
public enum IncidentPhase
{
    /// <summary>Inside the alert delay: a pass cancels it and no one hears of it.</summary>
    Pending,

    /// <summary>The delay is over: destinations are alerted on their schedules until it recovers.</summary>
    Alerting,

    /// <summary>Over; nothing more is decided or sent.</summary>
    Ended,
}
