using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The dnsbl schedule as properties, so 4-hour and daily intervals are proven without waiting for
/// them: one check per period in exactly one region, spread by id, the next region only the
/// minute after, a first check right after creation, rechecks at their own pace.
/// </summary>
public sealed class DnsblScheduleProperties
{
    private static readonly string[] AllRegions = ["eastus", "westeurope", "southeastasia"];

    private static readonly Gen<int> Interval = Gen.Elements(240, 1440);

    private static DnsblPlan Plan(string id, int interval, long created = -10_000, bool rechecking = false, int recheck = 60) =>
        new(id, interval, AllRegions, Paused: false, created, rechecking, recheck);

    [Property(MaxTest = 100)]
    public Property Exactly_one_region_checks_exactly_once_in_every_period()
    {
        var cases = from id in CycleGenerators.MonitorId
                    from interval in Interval
                    from start in Gen.Choose(0, 1_000_000)
                    select (id, interval, start);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var plan = Plan(c.id, c.interval);
            var checks = new List<(long Minute, string Region)>();
            for (long minute = c.start; minute < c.start + c.interval; minute++)
            {
                checks.AddRange(AllRegions.Where(r => DnsblSchedule.TurnOf(plan, minute, r) == DnsblTurn.Check).Select(r => (minute, r)));
            }

            var check = Assert.Single(checks);
            return check.Region == DnsblSchedule.RegionOrder(c.id, AllRegions)[0];
        });
    }

    [Property(MaxTest = 200)]
    public Property The_next_region_stands_by_only_the_minute_after_a_check_minute()
    {
        var cases = from id in CycleGenerators.MonitorId
                    from interval in Interval
                    from minute in CycleGenerators.Minute
                    select (id, interval, minute);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var plan = Plan(c.id, c.interval);
            var order = DnsblSchedule.RegionOrder(c.id, AllRegions);
            var standing = AllRegions.Where(r => DnsblSchedule.TurnOf(plan, c.minute, r) == DnsblTurn.CheckIfFirstLearntNothing).ToList();
            return standing.Count == 0
                ? !DnsblSchedule.IsCheckMinute(plan, c.minute - 1)
                : standing.Single() == order[1] && DnsblSchedule.IsCheckMinute(plan, c.minute - 1);
        });
    }

    [Property(MaxTest = 200)]
    public Property Region_order_is_a_rotation_of_the_sorted_regions_fixed_by_the_id()
    {
        return Prop.ForAll(CycleGenerators.MonitorId.ToArbitrary(), id =>
        {
            var order = DnsblSchedule.RegionOrder(id, AllRegions);
            var shuffled = DnsblSchedule.RegionOrder(id, [.. AllRegions.Reverse()]);
            var sorted = AllRegions.Order(StringComparer.Ordinal).ToList();
            var first = sorted.IndexOf(order[0]);
            return order.SequenceEqual(shuffled) && order.SequenceEqual(sorted.Skip(first).Concat(sorted.Take(first)));
        });
    }

    [Property(MaxTest = 200)]
    public Property A_new_monitor_is_checked_the_minute_after_it_was_created()
    {
        var cases = from id in CycleGenerators.MonitorId
                    from interval in Interval
                    from created in CycleGenerators.Minute
                    select (id, interval, created);
        return Prop.ForAll(cases.ToArbitrary(), c => DnsblSchedule.IsCheckMinute(Plan(c.id, c.interval, c.created), c.created + 1));
    }

    [Property(MaxTest = 100)]
    public Property Under_recheck_an_address_is_checked_once_per_recheck_period_and_a_block_no_more_than_every_240_minutes()
    {
        var cases = from id in CycleGenerators.MonitorId
                    from interval in Interval
                    from recheck in Gen.Elements(1, 15, 60)
                    from start in Gen.Choose(0, 1_000_000)
                    select (id, interval, recheck, start);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var plan = Plan(c.id, c.interval, rechecking: true, recheck: c.recheck);
            var period = c.interval == 1440 ? 240 : c.recheck;
            var checks = Enumerable.Range(0, period).Count(i => DnsblSchedule.IsCheckMinute(plan, c.start + i));
            // One recheck in the period, and perhaps the period's regular check on top.
            return checks is >= 1 and <= 2;
        });
    }

    [Fact]
    public void A_thousand_monitors_spread_over_the_four_hours()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"m{i:D20}").ToList();
        var perMinute = ids.GroupBy(id => DnsblSchedule.OffsetOf(id, 240)).Select(g => g.Count()).ToList();
        Assert.True(perMinute.Count > 200, $"only {perMinute.Count} of 240 minutes used");
        Assert.True(perMinute.Max() <= 15, $"{perMinute.Max()} monitors in one minute");
    }

    [Fact]
    public void A_paused_monitor_is_never_checked()
    {
        var plan = Plan("m" + new string('a', 20), 240, created: 99) with { Paused = true };
        Assert.All(AllRegions, r => Assert.Equal(DnsblTurn.None, DnsblSchedule.TurnOf(plan, 100, r)));
    }
}
