using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>The incident's <c>state</c> as the API shows it (API.md): paused and deleted incidents show as cancelled.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<IncidentStatus>))]
public enum IncidentStatus
{
    Pending,
    Cancelled,
    Alerting,
    Recovered,
}
