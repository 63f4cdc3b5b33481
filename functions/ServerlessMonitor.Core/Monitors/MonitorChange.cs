namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// What a change to a monitor means beyond its row: whoever runs incidents must end the open one
/// quietly when <see cref="EndsIncident"/> is set. Set on every request that pauses (not only the
/// first), so a retry after a failed follow-up still ends it; ending an incident that is not open
/// is nothing.
/// </summary>
/// <param name="Monitor">The monitor as it is now (as it was, for a delete).</param>
public sealed record MonitorChange(MonitorRecord Monitor, QuietEnd? EndsIncident);
