namespace ServerlessMonitor.Core.Incidents;

public enum MonitorNowStatus
{
    Active,
    Paused,
    Deleted,
    Stale,
}
