using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>Where an invitation to receive a monitor's alerts stands; only accepted receivers read the monitor and get alerts.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ReceiverStatus>))]
public enum ReceiverStatus
{
    Invited,
    Accepted,
    Refused,
}
