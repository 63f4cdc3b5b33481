namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// When and where a dnsbl monitor is checked (docs/MONITORS.md, "DNS blacklists"), pure.
/// <list type="bullet">
/// <item>Check minutes: every interval (240 or 1440 minutes) at an offset fixed by a stable hash
/// of the id, so a thousand monitors spread over the period; the minute after the monitor was
/// created, so its owner learns at once; and while an incident is open, every recheck period
/// (SM_DNSBL_RECHECK_MINUTES; at least 240 for a block), so a delisting is noticed without
/// asking the lists every minute.</item>
/// <item>One region checks: the first of the monitor's regions (sorted, rotated by the same
/// hash). The next region in that order checks the minute after when the first region's check
/// could not reach any list, or did not report: "another region on resolver failure".</item>
/// </list>
/// </summary>
public static class DnsblSchedule
{
    /// <summary>A block is rechecked no more often than this: 256 addresses asked of every list is a day's worth for one address.</summary>
    public const int MinBlockRecheckMinutes = 240;

    /// <summary>The monitor's minute within each period of <paramref name="periodMinutes"/>, in [0, period).</summary>
    public static int OffsetOf(string monitorId, int periodMinutes)
    {
        ArgumentNullException.ThrowIfNull(monitorId);
        ArgumentOutOfRangeException.ThrowIfLessThan(periodMinutes, 1);
        return (int)(StableHash.Of(monitorId) % (uint)periodMinutes);
    }

    /// <summary>True when <paramref name="minute"/> is one of the monitor's check minutes (in whichever region checks it).</summary>
    public static bool IsCheckMinute(DnsblPlan plan, long minute)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var recheck = plan.IntervalMinutes >= 1440 ? Math.Max(plan.RecheckMinutes, MinBlockRecheckMinutes) : plan.RecheckMinutes;
        return minute == plan.CreatedMinute + 1
            || Modulo(minute - OffsetOf(plan.MonitorId, plan.IntervalMinutes), plan.IntervalMinutes) == 0
            || (plan.Rechecking && Modulo(minute - OffsetOf(plan.MonitorId, recheck), recheck) == 0);
    }

    /// <summary>The monitor's regions in the order they take the check: sorted, then rotated by the id's hash.</summary>
    public static IReadOnlyList<string> RegionOrder(string monitorId, IReadOnlyList<string> regions)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var sorted = regions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            return sorted;
        }

        var first = OffsetOf(monitorId, sorted.Count);
        return [.. sorted.Skip(first), .. sorted.Take(first)];
    }

    /// <summary>What <paramref name="region"/> does about the monitor in <paramref name="minute"/>.</summary>
    public static DnsblTurn TurnOf(DnsblPlan plan, long minute, string region)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Paused)
        {
            return DnsblTurn.None;
        }

        var order = RegionOrder(plan.MonitorId, plan.Regions);
        if (order.Count > 0 && order[0] == region && IsCheckMinute(plan, minute))
        {
            return DnsblTurn.Check;
        }

        return order.Count > 1 && order[1] == region && IsCheckMinute(plan, minute - 1)
            ? DnsblTurn.CheckIfFirstLearntNothing
            : DnsblTurn.None;
    }

    private static long Modulo(long value, int divisor) => ((value % divisor) + divisor) % divisor;
}
