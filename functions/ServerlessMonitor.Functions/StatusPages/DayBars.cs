using System.Globalization;
using System.Text;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>
/// One bar per UTC day, coloured by that day's availability, grey for a day without data;
/// stretched to the width of the page. The title and description say what it shows; the
/// days with downtime are listed in a table beside it for those who cannot see the colours.
/// </summary>
internal static class DayBars
{
    private const int Step = 10;
    private const int Width = 8;
    private const int Height = 34;

    public static void Render(StringBuilder html, string id, string name, IReadOnlyList<DailyUptime> days)
    {
        var observed = days.Where(d => d.Availability is not null).ToList();
        var troubled = observed.Where(d => d.Availability < 1).ToList();
        var description = observed.Count == 0
            ? $"No data yet for any of the last {days.Count} days."
            : $"{observed.Count - troubled.Count} of {days.Count} days without downtime, {troubled.Count} with downtime, {days.Count - observed.Count} without data."
              + (troubled.Count > 0 ? $" Lowest: {Svg.Percent(troubled.Min(d => d.Availability))} on {Svg.Day(troubled.MinBy(d => d.Availability)!.Day)}." : string.Empty);

        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"days\" viewBox=\"0 0 {days.Count * Step - (Step - Width)} {Height}\" preserveAspectRatio=\"none\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{Svg.E(name)}: daily uptime, last {days.Count} days</title><desc id=\"{id}-d\">{Svg.E(description)}</desc>");
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            var what = d.Availability is null ? "no data" : Svg.Percent(d.Availability);
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"day{(d.Availability is null ? " nodata" : string.Empty)}\" x=\"{i * Step}\" width=\"{Width}\" height=\"{Height}\" rx=\"1\" fill=\"{Svg.ColourOf(d.Availability)}\"><title>{Svg.Day(d.Day)}: {what}</title></rect>");
        }

        html.Append("</svg>\n");
        if (troubled.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"alt\"><summary>Days with downtime ({troubled.Count})</summary><table><caption class=\"sr\">{Svg.E(name)}: days with downtime</caption><tr><th scope=\"col\">Day (UTC)</th><th scope=\"col\">Uptime</th><th scope=\"col\">Down</th></tr>");
            foreach (var d in troubled)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Svg.Day(d.Day)}</td><td>{Svg.Percent(d.Availability)}</td><td>{Duration(d.DowntimeSeconds)}</td></tr>");
            }

            html.Append("</table></details>\n");
        }
    }

    public static string Duration(long seconds) => seconds switch
    {
        < 60 => $"{seconds} s",
        < 3600 => $"{seconds / 60} min",
        < 86400 => $"{seconds / 3600} h {seconds % 3600 / 60} min",
        _ => $"{seconds / 86400} d {seconds % 86400 / 3600} h",
    };
}
