using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>The two messages an incident sends: the failure alert (up to four) and the recovery notice.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AlertKind>))]
public enum AlertKind
{
    Failure,
    Recovery,
}
