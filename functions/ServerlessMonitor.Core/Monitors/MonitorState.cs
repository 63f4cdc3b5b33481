using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// What the verdict step last decided about a monitor (shared/API.md, <c>state</c>). It stays as
/// last decided while the monitor is paused.
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<MonitorState>))]
public enum MonitorState
{
    /// <summary>Not decided yet: a new monitor, before its first verdict.</summary>
    Unknown,
    Up,
    Down,

    /// <summary>The last verdict was suppressed because every region's own connectivity was in doubt.</summary>
    Suppressed,
}
