using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Tests.StatusPages;

/// <summary>
/// An <see cref="IUptimeSource"/> with made-up but fixed data, so the page's charts can be
/// counted: the last <see cref="DaysWithData"/> days have data (every seventh one 99.5 %, the
/// rest 100 %), older days none; the last <see cref="MonthsWithData"/> months have data; latency
/// from two regions at every step of the range except the sixth (a gap).
/// </summary>
public sealed class SeededUptime : IUptimeSource
{
    public const int DaysWithData = 60;
    public const int MonthsWithData = 4;
    public const int GapStep = 5;
    public static readonly string[] Regions = ["eu-west", "us-east"];

    /// <summary>Points per region and line in a range of <paramref name="steps"/> steps (the gap left out).</summary>
    public static int PointsIn(int steps) => steps - 1;

    public Task<UptimeReport> ReportAsync(string monitorId, UptimePeriod period, double targetPercent, CancellationToken cancellationToken)
    {
        var seconds = (long)(period.To - period.From).TotalSeconds;
        var budget = (long)(seconds * (1 - (targetPercent / 100)));
        return Task.FromResult(new UptimeReport(period.Name, period.From, period.To, 0.9995, 300, 60, 0, budget, budget - 300));
    }

    public Task<IReadOnlyList<DailyUptime>> DailyAsync(string monitorId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = new List<DailyUptime>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var age = to.DayNumber - day.DayNumber;
            days.Add(age >= DaysWithData
                ? new DailyUptime(day, null, 0, 0)
                : age % 7 == 3 ? new DailyUptime(day, 0.995, 432, 86_400) : new DailyUptime(day, 1, 0, 86_400));
        }

        return Task.FromResult<IReadOnlyList<DailyUptime>>(days);
    }

    public Task<IReadOnlyList<MonthlyUptime>> MonthlyAsync(string monitorId, int months, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var first = new DateOnly(now.Year, now.Month, 1).AddMonths(1 - months);
        double?[] values = [0.99995, 0.9991, 0.98, 1];
        return Task.FromResult<IReadOnlyList<MonthlyUptime>>([.. Enumerable.Range(0, months).Select(i =>
        {
            var month = first.AddMonths(i);
            var recent = months - 1 - i;
            var availability = recent < MonthsWithData ? values[recent] : null;
            return new MonthlyUptime(month.Year, month.Month, availability, availability is { } a ? (long)((1 - a) * 2_592_000) : 0, availability is null ? 0 : 2_592_000);
        })]);
    }

    public Task<IReadOnlyList<LatencyPoint>> LatencyAsync(string monitorId, DateTimeOffset from, DateTimeOffset to, TimeSpan step, CancellationToken cancellationToken)
    {
        var points = new List<LatencyPoint>();
        foreach (var (region, r) in Regions.Select((x, i) => (x, i)))
        {
            var k = 0;
            for (var at = from; at < to; at += step, k++)
            {
                if (k != GapStep)
                {
                    var p50 = 40 + (r * 60) + (k % 5 * 3);
                    points.Add(new LatencyPoint(at, region, p50, p50 * 1.6, p50 * 2.4, 60));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<LatencyPoint>>([.. points.OrderBy(p => p.At).ThenBy(p => p.Region, StringComparer.Ordinal)]);
    }
}
