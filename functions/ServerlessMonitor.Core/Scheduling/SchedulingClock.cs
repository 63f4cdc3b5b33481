using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Scheduling;

/// <summary>
/// The scheduling clock. A "minute" is 60 s in Azure and SM_MINUTE_SECONDS in the local runtime;
/// every schedule, delay and key counted in minutes goes through here so that it scales.
/// Minute n starts at n × the minute length after the Unix epoch.
/// </summary>
public sealed class SchedulingClock(TimeProvider time, MonitorConfig config)
{
    public TimeSpan MinuteLength { get; } = config.MinuteLength;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Index of the scheduling minute that contains <paramref name="at"/>.</summary>
    public long MinuteOf(DateTimeOffset at) => (long)Math.Floor((at - DateTimeOffset.UnixEpoch) / MinuteLength);

    /// <summary>Start of scheduling minute <paramref name="minute"/>.</summary>
    public DateTimeOffset StartOf(long minute) => DateTimeOffset.UnixEpoch + (MinuteLength * minute);

    public long CurrentMinute => MinuteOf(Now);
}
