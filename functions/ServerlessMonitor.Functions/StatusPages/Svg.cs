using System.Globalization;
using System.Net;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>The little the charts share: numbers as SVG wants them, encoding, and the colours of availability (each ≥ 4.5:1 against white).</summary>
internal static class Svg
{
    public const string Up = "#1a7f37";
    public const string Warn = "#9a6700";
    public const string Down = "#cf222e";
    public const string NoData = "#6e7781";
    public const string Ink = "#1b1f24";
    public const string Muted = "#57606a";
    public const string Grid = "#d0d7de";

    public static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    public static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Green from 99.9 %, amber from 99 %, red below; grey without data.</summary>
    public static string ColourOf(double? availability) => availability switch
    {
        null => NoData,
        >= 0.999 => Up,
        >= 0.99 => Warn,
        _ => Down,
    };

    /// <summary>A fraction as a percentage with as many decimals as it takes to show the nines (99.995 %, never a rounded-up 100 %).</summary>
    public static string Percent(double? availability)
    {
        if (availability is not { } a)
        {
            return "no data";
        }

        if (a >= 1)
        {
            return "100 %";
        }

        // Decimal, so 0.9995 is 99.95 and not the 99.949… that binary fractions make of it.
        var truncated = Math.Floor((decimal)a * 100_000) / 1000;
        return truncated.ToString("0.###", CultureInfo.InvariantCulture) + " %";
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Month(MonthlyUptime m) => new DateOnly(m.Year, m.Month, 1).ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
