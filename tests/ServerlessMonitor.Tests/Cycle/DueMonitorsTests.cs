using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Tests.Cycle;

public sealed class DueMonitorsTests
{
    private static readonly IReadOnlySet<string> NoRechecks = new HashSet<string>();

    [Property(MaxTest = 300)]
    public Property A_monitor_is_due_exactly_once_in_every_run_of_its_interval()
    {
        var cases = from id in CycleGenerators.MonitorId
                    from interval in CycleGenerators.Interval
                    from start in CycleGenerators.Minute
                    select (id, interval, start);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var monitor = Monitor(c.id, c.interval);
            var due = 0;
            for (var minute = c.start; minute < c.start + c.interval; minute++)
            {
                due += DueMonitors.IsDue(monitor, minute, "eu", NoRechecks) ? 1 : 0;
            }

            return due == 1;
        });
    }

    [Property(MaxTest = 300)]
    public Property The_offset_is_stable_in_range_and_the_same_in_every_region()
    {
        var cases = from id in CycleGenerators.MonitorId
                    from interval in CycleGenerators.Interval
                    from minute in CycleGenerators.Minute
                    select (id, interval, minute);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var offset = DueMonitors.OffsetOf(c.id, c.interval);
            var monitor = Monitor(c.id, c.interval);
            return offset == DueMonitors.OffsetOf(new string(c.id.ToCharArray()), c.interval)
                && offset >= 0 && offset < c.interval
                && DueMonitors.IsDue(monitor, c.minute, "eu", NoRechecks) == DueMonitors.IsDue(monitor, c.minute, "asia", NoRechecks);
        });
    }

    [Property(MaxTest = 300)]
    public Property A_monitor_under_recheck_is_due_every_minute_whatever_its_interval()
    {
        var cases = from id in CycleGenerators.MonitorId
                    from interval in CycleGenerators.Interval
                    from minute in CycleGenerators.Minute
                    select (id, interval, minute);
        return Prop.ForAll(cases.ToArbitrary(), c =>
            DueMonitors.IsDue(Monitor(c.id, c.interval), c.minute, "eu", new HashSet<string> { c.id }));
    }

    [Fact]
    public void Monitors_of_one_interval_spread_evenly_over_its_minutes()
    {
        // Fixed ids, so the test cannot be unlucky: sequential ones (the TypeScript test's) and
        // random-looking ones from a seeded generator, as real ids look.
        var random = new Random(13);
        var sequential = Enumerable.Range(0, 10_000).Select(i => "m" + i.ToString("D20"));
        var randomLooking = Enumerable.Range(0, 10_000).Select(_ => "m" + new string(Enumerable.Range(0, 20).Select(_ => "abcdefghijklmnopqrstuvwxyz0123456789"[random.Next(36)]).ToArray()));
        foreach (var ids in new[] { sequential.ToList(), randomLooking.ToList() })
        {
            foreach (var interval in new[] { 2, 5, 10, 20 })
            {
                var even = ids.Count / (double)interval;
                var perOffset = ids.GroupBy(id => DueMonitors.OffsetOf(id, interval)).ToDictionary(g => g.Key, g => g.Count());
                Assert.Equal(interval, perOffset.Count);
                Assert.All(perOffset.Values, n => Assert.True(Math.Abs(n - even) / even < 0.1, $"{n} monitors at one offset of {interval}, {even} expected"));
            }
        }
    }

    [Theory]
    [InlineData("m1", new[] { 0, 1, 0, 5, 15 })]
    [InlineData("mabcdefghij0123456789", new[] { 0, 0, 4, 4, 4 })]
    [InlineData("m00000000000000000042", new[] { 0, 0, 2, 2, 2 })]
    [InlineData("é-ü", new[] { 0, 1, 0, 5, 5 })]
    public void Offsets_are_the_TypeScript_cycles_so_both_apps_probe_a_monitor_in_the_same_minutes(string id, int[] offsets)
    {
        // Computed with functions/cycle/due.ts's offsetOf for intervals 1, 2, 5, 10, 20.
        Assert.Equal(offsets, MonitorLimits.Intervals.Select(interval => DueMonitors.OffsetOf(id, interval)));
    }

    [Fact]
    public void Skips_paused_monitors_and_regions_a_monitor_does_not_use()
    {
        Assert.False(DueMonitors.IsDue(Monitor("m1", 1) with { Paused = true }, 5, "eu", new HashSet<string> { "m1" }));
        Assert.False(DueMonitors.IsDue(Monitor("m1", 1) with { Regions = ["us"] }, 5, "eu", NoRechecks));
        Assert.True(DueMonitors.IsDue(Monitor("m1", 1) with { Regions = ["us", "eu"] }, 5, "eu", NoRechecks));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(15)]
    [InlineData(60)]
    public void Refuses_an_interval_the_product_does_not_offer(int interval)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DueMonitors.OffsetOf("m1", interval));
    }

    [Fact]
    public async Task Selects_the_due_monitors_from_a_stream()
    {
        var due = new List<string>();
        await foreach (var monitor in DueMonitors.Select(Stream(Monitor("a", 1), Monitor("b", 1) with { Paused = true }, Monitor("c", 1)), 7, "eu", NoRechecks))
        {
            due.Add(monitor.MonitorId);
        }

        Assert.Equal(["a", "c"], due);
    }

    private static MonitorSchedule Monitor(string id, int interval) => new(id, interval, Regions: null, Paused: false);

    private static async IAsyncEnumerable<MonitorSchedule> Stream(params MonitorSchedule[] monitors)
    {
        foreach (var monitor in monitors)
        {
            await Task.Yield();
            yield return monitor;
        }
    }
}
