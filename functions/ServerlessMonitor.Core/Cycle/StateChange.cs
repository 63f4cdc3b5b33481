using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// A monitor's state changed by the verdict of one minute: what the verdict step wrote to the
/// monitor row, and keeps for an hour with the cycle (<see cref="Storage.CycleStore.ReadChangesAsync"/>).
/// </summary>
/// <param name="Minute">The scheduling minute whose verdict changed it.</param>
/// <param name="At">The start of that minute: the state's <c>stateChangedAt</c>.</param>
public sealed record StateChange(string MonitorId, MonitorState From, MonitorState To, long Minute, DateTimeOffset At);
