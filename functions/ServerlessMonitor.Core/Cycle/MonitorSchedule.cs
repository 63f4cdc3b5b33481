namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// What the due selection needs to know of a monitor: how often it is probed, from where, and
/// whether it is paused. <see cref="Regions"/> null means every region.
/// </summary>
public sealed record MonitorSchedule(string MonitorId, int IntervalMinutes, IReadOnlyList<string>? Regions, bool Paused);
