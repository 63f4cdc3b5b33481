namespace ServerlessMonitor.Core.Incidents;

/// <summary>An incident's monitor as it is now: its settings and destinations, or why it has none.</summary>
public sealed record MonitorNow(MonitorNowStatus Status, int AlertDelayMinutes = 0, int RecoveryPasses = 1, IReadOnlyList<DestinationPlan>? Destinations = null)
{
    public static MonitorNow Paused { get; } = new(MonitorNowStatus.Paused);

    public static MonitorNow Deleted { get; } = new(MonitorNowStatus.Deleted);

    /// <summary>A repeated start of an incident that is already over: nothing to do.</summary>
    public static MonitorNow Stale { get; } = new(MonitorNowStatus.Stale);
}
