using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>How an incident ended (the API's <c>end</c>). Paused and deleted end quietly.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<IncidentEnd>))]
public enum IncidentEnd
{
    Cancelled,
    Recovered,
    Paused,
    Deleted,
}
