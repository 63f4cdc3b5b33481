using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Tests.Uptime;

/// <summary>
/// The uptime arithmetic (docs/UPTIME.md) against a second-by-second oracle and by its laws:
/// outages only lower availability, overlaps count once, days add up to their period exactly
/// (across month ends and 2028's leap day), and the budget is what the target leaves.
/// </summary>
public sealed class UptimeArithmeticProperties
{
    /// <summary>2028-02-27 00:00 UTC: drawn times run through the leap day and into March.</summary>
    private static readonly long Base = Span.Seconds(new DateTimeOffset(2028, 2, 27, 0, 0, 0, TimeSpan.Zero));

    private const long Range = 4 * 86_400;

    /// <summary>Spans somewhere in the four days from <see cref="Base"/>, up to a day and a half long.</summary>
    private static readonly Gen<Span> AnySpan =
        Gen.Zip(Gen.Choose(0, (int)Range), Gen.Choose(0, 129_600)).Select(x => new Span(Base + x.Item1, Base + x.Item1 + x.Item2));

    private static readonly Gen<Span[]> Spans = Gen.Choose(0, 6).SelectMany(n => AnySpan.ArrayOf(n));

    private static readonly Gen<Tally> Tallies =
        from down in Spans
        from suppressed in Spans
        from maintenance in Spans
        from a in Gen.Choose(0, (int)Range)
        from b in Gen.Choose(0, (int)Range)
        select new Tally(down, suppressed, maintenance, Base + Math.Min(a, b), Base + Math.Max(a, b));

    [Property(MaxTest = 300)]
    public Property Every_second_is_counted_once_by_precedence_as_the_oracle_says() => Prop.ForAll(Tallies.ToArbitrary(), AnySpan.ToArbitrary(), (t, window) =>
    {
        // Coarse oracle: every 60th second stands for the minute around it only when all edges
        // are whole minutes, so draw on a minute grid.
        var grid = t.OnMinutes();
        var w = new Span(window.Start / 60 * 60, window.End / 60 * 60);
        var count = grid.Build().Count(w);
        var expected = UptimeCount.None;
        for (var s = Math.Max(w.Start, grid.Created); s < Math.Min(w.End, grid.Now); s += 60)
        {
            var m = In(grid.Maintenance, s);
            var sup = !m && In(grid.Suppressed, s);
            var d = !m && !sup && In(grid.Down, s);
            expected += new UptimeCount(m || sup ? 0 : 60, d ? 60 : 0, sup ? 60 : 0, m ? 60 : 0);
        }

        return count == expected;
    });

    [Property(MaxTest = 300)]
    public Property Adding_an_outage_never_raises_availability() => Prop.ForAll(Tallies.ToArbitrary(), AnySpan.ToArbitrary(), AnySpan.ToArbitrary(), (t, outage, window) =>
    {
        var before = t.Build().Count(window);
        var after = (t with { Down = [.. t.Down, outage] }).Build().Count(window);
        return before.Observed == after.Observed
            && after.Down >= before.Down
            && (before.Availability is null ? after.Availability is null : after.Availability <= before.Availability);
    });

    [Property(MaxTest = 300)]
    public Property Overlapping_and_repeated_outages_are_counted_once() => Prop.ForAll(Tallies.ToArbitrary(), AnySpan.ToArbitrary(), (t, window) =>
    {
        var once = t.Build().Count(window);
        var twice = (t with { Down = [.. t.Down, .. t.Down], Suppressed = [.. t.Suppressed, .. t.Suppressed.Reverse()] }).Build().Count(window);
        var union = SpanSet.Of(t.Down).LengthWithin(new Span(Math.Max(window.Start, t.Created), Math.Min(window.End, t.Now)));
        return once == twice && once.Down <= union && once.Down + once.Suppressed + once.Maintenance <= Math.Max(0, Math.Min(window.End, t.Now) - Math.Max(window.Start, t.Created));
    });

    [Property(MaxTest = 200)]
    public Property Days_add_up_to_their_period_across_month_ends_and_the_leap_day() => Prop.ForAll(Tallies.ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), (t, firstDay, days) =>
    {
        var tally = t.Build();
        var from = new DateTimeOffset(2028, 2, 27, 0, 0, 0, TimeSpan.Zero).AddDays(firstDay);
        var sum = UptimeCount.None;
        for (var d = 0; d < days; d++)
        {
            sum += tally.Count(Span.Of(from.AddDays(d), from.AddDays(d + 1)));
        }

        return sum == tally.Count(Span.Of(from, from.AddDays(days)));
    });

    [Property(MaxTest = 300)]
    public Property The_budget_is_what_the_target_leaves_of_the_observed_time_and_what_is_left_of_it_after_downtime() =>
        Prop.ForAll(Tallies.ToArbitrary(), AnySpan.ToArbitrary(), Gen.Elements(99.0, 99.5, 99.9, 99.95, 99.99, 99.999, 100.0).ToArbitrary(), (t, window, target) =>
        {
            var count = t.Build().Count(window);
            var (budget, left) = count.Budget(target);
            var exact = (100 - target) / 100 * count.Observed;
            return left == budget - count.Down && budget <= exact + 1e-6 && budget > exact - 1;
        });

    [Fact]
    public void Budgets_of_the_nines_over_a_30_day_month_and_a_year()
    {
        var month = new UptimeCount(30 * 86_400, 0, 0, 0);
        Assert.Equal(2592, month.Budget(99.9).Budget);
        Assert.Equal(259, month.Budget(99.99).Budget);
        Assert.Equal(25, month.Budget(99.999).Budget);
        var year = new UptimeCount(365 * 86_400, 600, 0, 0);
        Assert.Equal((31536, 30936), year.Budget(99.9));
        Assert.Equal((315, -285), year.Budget(99.999));
    }

    [Fact]
    public void A_calendar_month_is_as_long_as_it_is_leap_years_too()
    {
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(UptimePeriods.TryParse("month:2028-02", now, out var leap));
        Assert.True(UptimePeriods.TryParse("month:2027-02", now, out var plain));
        Assert.True(UptimePeriods.TryParse("month:2028-12", now, out var december));
        Assert.Equal(29 * 86_400, Span.Of(leap.From, leap.To).Length);
        Assert.Equal(28 * 86_400, Span.Of(plain.From, plain.To).Length);
        Assert.Equal(new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero), december.To);
        var outage = new Span(Span.Seconds(new DateTimeOffset(2028, 2, 29, 23, 0, 0, TimeSpan.Zero)), Span.Seconds(new DateTimeOffset(2028, 3, 1, 2, 0, 0, TimeSpan.Zero)));
        var tally = new UptimeTally(Span.Seconds(leap.From), Span.Seconds(now), SpanSet.Of(outage), SpanSet.Empty, SpanSet.Empty);
        Assert.Equal(3600, tally.Count(Span.Of(leap.From, leap.To)).Down);
        Assert.Equal(7200, tally.Count(Span.Of(leap.To, leap.To.AddMonths(1))).Down);
    }

    [Theory]
    [InlineData("24h", true)]
    [InlineData("7d", true)]
    [InlineData("30d", true)]
    [InlineData("90d", true)]
    [InlineData("month:2026-11", true)]
    [InlineData("month:2026-13", false)]
    [InlineData("month:1999-12", false)]
    [InlineData("month:2026-1", false)]
    [InlineData("1y", false)]
    [InlineData("", false)]
    [InlineData("24H", false)]
    public void Periods_are_the_four_rolling_ones_and_calendar_months(string name, bool valid)
    {
        var now = new DateTimeOffset(2026, 11, 30, 3, 30, 15, 500, TimeSpan.Zero);
        Assert.Equal(valid, UptimePeriods.TryParse(name, now, out var period));
        if (valid && !name.StartsWith("month", StringComparison.Ordinal))
        {
            Assert.Equal(new DateTimeOffset(2026, 11, 30, 3, 30, 15, TimeSpan.Zero), period.To);
        }
    }

    [Theory]
    [InlineData("99.9", true)]
    [InlineData("100", true)]
    [InlineData("99.999", true)]
    [InlineData("0", false)]
    [InlineData("100.1", false)]
    [InlineData("-5", false)]
    [InlineData("NaN", false)]
    [InlineData("99,9", false)]
    [InlineData("1e2", false)]
    public void Targets_are_percentages_above_0_up_to_100(string text, bool valid) =>
        Assert.Equal(valid, UptimePeriods.TryParseTarget(text, out _));

    [Property(MaxTest = 200)]
    public Property Coarsening_keeps_every_moment_and_at_most_the_limit() => Prop.ForAll(Gen.Choose(0, 40).SelectMany(n => AnySpan.ArrayOf(n)).ToArbitrary(), Gen.Choose(1, 10).ToArbitrary(), (spans, max) =>
    {
        var set = SpanSet.Of(spans);
        var coarse = set.Coarsened(max);
        return coarse.Count <= max && set.Except(coarse).Count == 0 && coarse.Length >= set.Length;
    });

    private static bool In(IEnumerable<Span> spans, long second) => spans.Any(s => s.Start <= second && second < s.End);

    /// <summary>A drawn monitor: its stretches, creation and now.</summary>
    public sealed record Tally(Span[] Down, Span[] Suppressed, Span[] Maintenance, long Created, long Now)
    {
        public UptimeTally Build() => new(Created, Now, SpanSet.Of(Down), SpanSet.Of(Suppressed), SpanSet.Of(Maintenance));

        public Tally OnMinutes() => new(Minutes(Down), Minutes(Suppressed), Minutes(Maintenance), Created / 60 * 60, Now / 60 * 60);

        private static Span[] Minutes(Span[] spans) => [.. spans.Select(s => new Span(s.Start / 60 * 60, s.End / 60 * 60))];

        public override string ToString() => $"down [{string.Join(", ", Down)}] suppressed [{string.Join(", ", Suppressed)}] maintenance [{string.Join(", ", Maintenance)}] created {Created} now {Now}";
    }
}
