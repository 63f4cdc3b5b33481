using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>A caller's relation to a monitor (the API's <c>access</c> field; <see cref="None"/> is never shown: it is a 404).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AccessLevel>))]
public enum AccessLevel
{
    /// <summary>Not the caller's to see: answered as if it did not exist.</summary>
    None,

    /// <summary>Any key may read a public monitor (not its incidents).</summary>
    Public,

    /// <summary>An account that accepted to receive its alerts: reads it, its results and incidents, and annotates.</summary>
    Receiver,

    /// <summary>Reads and changes everything.</summary>
    Owner,
}
