using System.Globalization;

namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// The periods of <c>GET /api/monitors/&lt;id&gt;/uptime?period=</c>: <c>24h</c>, <c>7d</c>,
/// <c>30d</c>, <c>90d</c> ending now (to the whole second), or <c>month:YYYY-MM</c>, a UTC calendar month.
/// </summary>
public static class UptimePeriods
{
    public const string Default = "30d";

    private static readonly Dictionary<string, TimeSpan> Rolling = new(StringComparer.Ordinal)
    {
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
        ["90d"] = TimeSpan.FromDays(90),
    };

    /// <summary>The period <paramref name="name"/> names as of <paramref name="now"/>; false for anything else.</summary>
    public static bool TryParse(string? name, DateTimeOffset now, out UptimePeriod period)
    {
        var end = Span.At(Span.Seconds(now));
        if (name is not null && Rolling.TryGetValue(name, out var length))
        {
            period = new UptimePeriod(name, end - length, end);
            return true;
        }

        if (name is { Length: 13 } && name.StartsWith("month:", StringComparison.Ordinal)
            && DateTime.TryParseExact(name.AsSpan(6), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            && month.Year >= 2000)
        {
            var from = new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero);
            period = new UptimePeriod(name, from, from.AddMonths(1));
            return true;
        }

        period = null!;
        return false;
    }

    /// <summary>A target availability in percent: more than 0, at most 100.</summary>
    public static bool TryParseTarget(string? text, out double targetPercent) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out targetPercent)
        && targetPercent is > 0 and <= 100;
}
