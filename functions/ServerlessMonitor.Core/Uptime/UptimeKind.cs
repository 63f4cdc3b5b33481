namespace ServerlessMonitor.Core.Uptime;

/// <summary>What a stored stretch of a monitor's time was (docs/UPTIME.md).</summary>
public enum UptimeKind
{
    /// <summary>In a confirmed outage: an incident that alerted, from its first failing verdict to its recovery.</summary>
    Down,

    /// <summary>Inside such an outage, minutes whose verdict was suppressed (our own network in doubt).</summary>
    Suppressed,

    /// <summary>Paused by its owner.</summary>
    Maintenance,
}
