using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.StatusPages;
using ServerlessMonitor.Core.Uptime;
using ServerlessMonitor.Functions.StatusPages;

namespace ServerlessMonitor.Tests.StatusPages;

/// <summary>The page's rendering on its own: numbers as people read them, and charts whose shapes follow the data.</summary>
public sealed partial class StatusPageHtmlTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1.0, "100 %")]
    [InlineData(0.99999, "99.999 %")]
    [InlineData(0.999999, "99.999 %")]
    [InlineData(0.9995, "99.95 %")]
    [InlineData(0.5, "50 %")]
    public void Availability_is_never_rounded_up_to_more_nines_than_it_has(double availability, string shown)
    {
        var html = StatusPageHtml.Render(View(availability));
        Assert.Contains($"Uptime, last 90 days: <strong>{shown}</strong>", html, StringComparison.Ordinal);
    }

    [Property(MaxTest = 200)]
    public Property A_worse_month_never_draws_a_taller_bar(PositiveInt a, PositiveInt b)
    {
        // Availabilities in (0, 1]: more downtime must never look better on the five-nines chart.
        var better = 1 - (Math.Min(a.Get, b.Get) % 1_000_000 / 1_000_000.0);
        var worse = 1 - (Math.Max(a.Get, b.Get) % 1_000_000 / 1_000_000.0);
        if (worse > better)
        {
            (better, worse) = (worse, better);
        }

        return (Height(better) >= Height(worse)).ToProperty();
    }

    [Fact]
    public void The_leap_day_and_the_month_boundary_each_get_one_bar_and_months_without_data_get_none()
    {
        var html = StatusPageHtml.Render(View(0.999));
        Assert.Equal(90, DayRect().Count(html));
        Assert.Contains("2028-02-29: 99.9 %", html, StringComparison.Ordinal);
        Assert.Equal(2, MonthRect().Count(html));
        Assert.Contains("Monthly availability table", html, StringComparison.Ordinal);
    }

    private static double Height(double availability)
    {
        var html = StatusPageHtml.Render(View(availability));
        var match = MonthRect().Match(html);
        return double.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
    }

    private static StatusPageView View(double availability)
    {
        // 90 days ending on 2028-03-01 (across a leap day), two months with data out of twelve.
        var to = new DateOnly(2028, 3, 1);
        var days = Enumerable.Range(0, 90).Select(i => new DailyUptime(to.AddDays(i - 89), availability, 0, 86_400)).ToList();
        var first = new DateOnly(2027, 4, 1);
        var months = Enumerable.Range(0, 12).Select(i => first.AddMonths(i)).Select((m, i) => new MonthlyUptime(m.Year, m.Month, i >= 10 ? availability : null, 0, i >= 10 ? 2_592_000 : 0)).ToList();
        var report = new UptimeReport("90d", Now.AddDays(-90), Now, availability, 0, 0, 0, 0, 0);
        var panel = new MonitorPanel("m1", "Web", "https://example.com/", MonitorState.Up, false, Now, report, days, months, [], []);
        return new StatusPageView("page", "Page", Now, [panel], []);
    }

    [GeneratedRegex("<rect class=\"day")]
    private static partial Regex DayRect();

    [GeneratedRegex("<rect class=\"month\" x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"[0-9.]+\" height=\"(?<h>[0-9.]+)\"")]
    private static partial Regex MonthRect();
}
