using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>Where an alert's delivery stands (API.md, alerts[].status).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AlertStatus>))]
public enum AlertStatus
{
    /// <summary>Stored for delivery, being sent.</summary>
    Sending,
    Sent,

    /// <summary>A try failed; the sender tries again.</summary>
    Retrying,

    /// <summary>Given up on.</summary>
    Failed,
}
