using System.Globalization;
using System.Text;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>
/// The five-nines chart: each calendar month's availability as a bar on a scale of nines
/// (90 %, 99 %, 99.9 %, …: one step per nine, so 99.95 % sits halfway between three and four
/// nines), against lines at 90, 99, 99.9, 99.99 and 99.999 %. A month without data has no bar.
/// A table of the months is the text alternative.
/// </summary>
internal static class NinesChart
{
    private const double MaxNines = 6;
    private const int ViewWidth = 440;
    private const int Left = 84;
    private const int Right = 436;
    private const int Top = 10;
    private const int Bottom = 170;
    private const int ViewHeight = 214;

    private static readonly (double Nines, string Label)[] Lines = [(1, "90 %"), (2, "99 %"), (3, "99.9 %"), (4, "99.99 %"), (5, "99.999 %")];

    /// <summary>How many nines: 0.999 → 3; 100 % is drawn at the top of the scale.</summary>
    public static double Nines(double availability) =>
        availability >= 1 ? MaxNines : Math.Clamp(-Math.Log10(1 - availability), 0, MaxNines);

    public static void Render(StringBuilder html, string id, string name, IReadOnlyList<MonthlyUptime> months)
    {
        var slot = (double)(Right - Left) / Math.Max(1, months.Count);
        var barWidth = slot * 0.6;
        var observed = months.Where(m => m.Availability is not null).ToList();
        var description = observed.Count == 0
            ? "No data yet for any month."
            : string.Join("; ", observed.Select(m => $"{Svg.Month(m)}: {Svg.Percent(m.Availability)}")) + ".";
        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"nines\" viewBox=\"0 0 {ViewWidth} {ViewHeight}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{Svg.E(name)}: availability per month against the nines</title><desc id=\"{id}-d\">{Svg.E(description)}</desc>");
        html.Append(CultureInfo.InvariantCulture, $"<g font-size=\"15\" fill=\"{Svg.Muted}\" font-family=\"system-ui, sans-serif\">");
        foreach (var (nines, label) in Lines)
        {
            var y = Y(nines);
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"nine\" x1=\"{Left}\" x2=\"{Right}\" y1=\"{Svg.N(y)}\" y2=\"{Svg.N(y)}\" stroke=\"{Svg.Grid}\" stroke-dasharray=\"4 3\"/><text x=\"{Left - 6}\" y=\"{Svg.N(y + 4)}\" text-anchor=\"end\">{label}</text>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Right}\" y1=\"{Bottom}\" y2=\"{Bottom}\" stroke=\"{Svg.Muted}\"/>");
        for (var i = 0; i < months.Count; i++)
        {
            var m = months[i];
            var x = Left + (i * slot) + ((slot - barWidth) / 2);
            if (m.Availability is { } a)
            {
                var y = Y(Nines(a));
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"month\" x=\"{Svg.N(x)}\" y=\"{Svg.N(y)}\" width=\"{Svg.N(barWidth)}\" height=\"{Svg.N(Math.Max(1, Bottom - y))}\" fill=\"{Svg.ColourOf(a)}\"><title>{Svg.E(Svg.Month(m))}: {Svg.Percent(a)}</title></rect>");
            }

            // Every other month's label gives way on a narrow screen (the page's CSS hides .odd there).
            var centre = Svg.N(x + (barWidth / 2));
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"{(i % 2 == 1 ? "odd" : "even")}\" x=\"{centre}\" y=\"{Bottom + 19}\" text-anchor=\"middle\">{new DateOnly(m.Year, m.Month, 1).ToString("MMM", CultureInfo.InvariantCulture)}</text>");
            if (m.Month == 1)
            {
                html.Append(CultureInfo.InvariantCulture, $"<text x=\"{centre}\" y=\"{Bottom + 38}\" text-anchor=\"middle\">{m.Year}</text>");
            }
        }

        html.Append("</g></svg>\n");
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"alt\"><summary>Monthly availability table</summary><table><caption class=\"sr\">{Svg.E(name)}: availability per month</caption><tr><th scope=\"col\">Month</th><th scope=\"col\">Availability</th><th scope=\"col\">Down</th></tr>");
        foreach (var m in months)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Svg.E(Svg.Month(m))}</td><td>{Svg.Percent(m.Availability)}</td><td>{(m.Availability is null ? "–" : DayBars.Duration(m.DowntimeSeconds))}</td></tr>");
        }

        html.Append("</table></details>\n");
    }

    private static double Y(double nines) => Bottom - (nines / MaxNines * (Bottom - Top));
}
