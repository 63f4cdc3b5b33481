using System.Globalization;
using System.Text;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>
/// Latency of passing probes from one region over a time range: p50, p90 and p99 as three
/// lines told apart by dash as well as colour, one point per step with data (steps without
/// passing probes are gaps in the data, not zeros). A summary table is the text alternative.
/// </summary>
internal static class LatencyChart
{
    private const int Left = 66;
    private const int Right = 434;
    private const int Top = 10;
    private const int Bottom = 150;

    public static readonly (string Name, string Colour, string Dash)[] Series =
    [
        ("p50", "#0969da", string.Empty),
        ("p90", "#8250df", "6 4"),
        ("p99", "#bc4c00", "2 3"),
    ];

    public static void Render(StringBuilder html, string id, string name, string region, string range, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<LatencyPoint> points)
    {
        var top = NiceCeiling(points.Count == 0 ? 100 : points.Max(p => p.P99));
        var span = Math.Max(1, (to - from).TotalSeconds);
        double X(DateTimeOffset at) => Left + (Math.Clamp((at - from).TotalSeconds / span, 0, 1) * (Right - Left));
        double Y(double ms) => Bottom - (Math.Min(ms, top) / top * (Bottom - Top));

        var description = points.Count == 0
            ? "No passing probes in this range."
            : $"{points.Count} points. Median p50 {Ms(Median(points, p => p.P50))}, median p90 {Ms(Median(points, p => p.P90))}, highest p99 {Ms(points.Max(p => p.P99))}.";
        html.Append(CultureInfo.InvariantCulture, $"<figure class=\"latency\"><figcaption>{Svg.E(region)}, {Svg.E(range)}</figcaption>");
        html.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 440 176\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" data-region=\"{Svg.E(region)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{Svg.E(name)}: latency from {Svg.E(region)}, {Svg.E(range)} (p50, p90, p99)</title><desc id=\"{id}-d\">{Svg.E(description)}</desc>");
        html.Append(CultureInfo.InvariantCulture, $"<g font-size=\"15\" fill=\"{Svg.Muted}\" font-family=\"system-ui, sans-serif\">");
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Y(top * fraction);
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Right}\" y1=\"{Svg.N(y)}\" y2=\"{Svg.N(y)}\" stroke=\"{Svg.Grid}\"/><text x=\"{Left - 6}\" y=\"{Svg.N(y + 5)}\" text-anchor=\"end\">{Ms(top * fraction)}</text>");
        }

        var stepLabel = to - from > TimeSpan.FromDays(2) ? "MMM d" : "MMM d HH:mm";
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Bottom + 20}\">{from.UtcDateTime.ToString(stepLabel, CultureInfo.InvariantCulture)}</text><text x=\"{Right}\" y=\"{Bottom + 20}\" text-anchor=\"end\">{to.UtcDateTime.ToString(stepLabel, CultureInfo.InvariantCulture)} UTC</text></g>");
        foreach (var (series, colour, dash) in Series)
        {
            var values = points.Select(p => (p.At, Ms: Value(p, series))).ToList();
            var coordinates = string.Join(' ', values.Select(v => $"{Svg.N(X(v.At))},{Svg.N(Y(v.Ms))}"));
            html.Append(CultureInfo.InvariantCulture, $"<polyline class=\"{series}\" points=\"{coordinates}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : string.Empty)} stroke-linejoin=\"round\"/>");
            if (values.Count == 1)
            {
                // One point makes no line: draw it as a dot.
                html.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Svg.N(X(values[0].At))}\" cy=\"{Svg.N(Y(values[0].Ms))}\" r=\"3\" fill=\"{colour}\"/>");
            }
        }

        html.Append("</svg>");
        if (points.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<table class=\"summary\"><caption class=\"sr\">{Svg.E(name)}: latency from {Svg.E(region)}, {Svg.E(range)}</caption><tr><th scope=\"col\"></th><th scope=\"col\">p50</th><th scope=\"col\">p90</th><th scope=\"col\">p99</th></tr>");
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">median</th><td>{Ms(Median(points, p => p.P50))}</td><td>{Ms(Median(points, p => p.P90))}</td><td>{Ms(Median(points, p => p.P99))}</td></tr>");
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">highest</th><td>{Ms(points.Max(p => p.P50))}</td><td>{Ms(points.Max(p => p.P90))}</td><td>{Ms(points.Max(p => p.P99))}</td></tr></table>");
        }

        html.Append("</figure>\n");
    }

    private static double Value(LatencyPoint p, string series) => series switch
    {
        "p50" => p.P50,
        "p90" => p.P90,
        _ => p.P99,
    };

    private static double Median(IReadOnlyList<LatencyPoint> points, Func<LatencyPoint, double> of)
    {
        var sorted = points.Select(of).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Ms(double ms) => ms >= 1000
        ? (ms / 1000).ToString("0.##", CultureInfo.InvariantCulture) + " s"
        : ms.ToString(ms >= 10 ? "0" : "0.#", CultureInfo.InvariantCulture) + " ms";

    /// <summary>1, 2 or 5 times a power of ten at or above <paramref name="ms"/>: axis labels people read at a glance.</summary>
    private static double NiceCeiling(double ms)
    {
        if (ms <= 1)
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(ms)));
        return new[] { 1, 2, 5, 10 }.Select(f => f * power).First(v => v >= ms);
    }
}
