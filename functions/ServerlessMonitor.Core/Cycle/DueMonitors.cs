using System.Runtime.CompilerServices;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Which monitors a region probes in a scheduling minute (DESIGN.md, Probe). A monitor with an
/// interval of n minutes is due when (minute − offset) is a multiple of n, its offset fixed by
/// its id: it is due in the same minutes in every region and on every run, so regions probe it
/// in the same cycle and the verdict can compare them, while monitors of one interval spread
/// evenly over its n minutes. A monitor under recheck is due every minute, whatever its
/// interval, so a failure is confirmed or cleared within a minute.
/// </summary>
public static class DueMonitors
{
    /// <summary>The monitor's minute within each run of <paramref name="intervalMinutes"/>, in [0, interval).</summary>
    public static int OffsetOf(string monitorId, int intervalMinutes)
    {
        if (!MonitorLimits.Intervals.Contains(intervalMinutes))
        {
            throw new ArgumentOutOfRangeException(nameof(intervalMinutes), intervalMinutes, "an interval is 1, 2, 5, 10 or 20 minutes");
        }

        return (int)(StableHash.Of(monitorId) % (uint)intervalMinutes);
    }

    public static bool IsDue(MonitorSchedule monitor, long minute, string region, IReadOnlySet<string> rechecks)
    {
        if (monitor.Paused || !ProbesFrom(monitor, region))
        {
            return false;
        }

        return rechecks.Contains(monitor.MonitorId)
            || Modulo(minute - OffsetOf(monitor.MonitorId, monitor.IntervalMinutes), monitor.IntervalMinutes) == 0;
    }

    /// <summary>The due monitors of a stream, as the store pages them in: 10,000 monitors need not sit in memory at once.</summary>
    public static async IAsyncEnumerable<MonitorSchedule> Select(
        IAsyncEnumerable<MonitorSchedule> monitors,
        long minute,
        string region,
        IReadOnlySet<string> rechecks,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var monitor in monitors.WithCancellation(cancellationToken))
        {
            if (IsDue(monitor, minute, region, rechecks))
            {
                yield return monitor;
            }
        }
    }

    private static bool ProbesFrom(MonitorSchedule monitor, string region) =>
        monitor.Regions is null || monitor.Regions.Contains(region);

    // Minute indexes are never negative in practice, but % keeps the dividend's sign and a
    // negative remainder would make a monitor never due.
    private static long Modulo(long value, int divisor) => ((value % divisor) + divisor) % divisor;
}
