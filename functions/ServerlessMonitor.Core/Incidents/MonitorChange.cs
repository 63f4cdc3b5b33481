using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>What happened to the monitor that ends its incident quietly.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<MonitorChange>))]
public enum MonitorChange
{
    Paused,
    Deleted,
}
