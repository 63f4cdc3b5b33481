using System.Globalization;
using System.Text;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.StatusPages;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>
/// The public status page: plain HTML and inline SVG drawn here, no script, so it works in any
/// browser and reader, and fits a phone. Every text from the owner (title, names, targets,
/// notes) is encoded. Shows only what <see cref="StatusPageView"/> holds: never private
/// monitors, private notes, account or channel ids, or targets behind a display name.
/// </summary>
public static class StatusPageHtml
{
    /// <summary>With more monitors than this, each one's monthly and latency charts start folded, so the page stays scannable.</summary>
    public const int OpenChartsUpTo = 5;

    public static string Render(StatusPageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var body = new StringBuilder(16_384 + (view.Monitors.Count * 24_000));
        var down = view.Monitors.Count(m => !m.Paused && m.State == MonitorState.Down);
        body.Append(CultureInfo.InvariantCulture, $"<header><h1>{Svg.E(view.Title)}</h1>\n");
        var (summaryClass, summary) = view.Monitors.Count == 0 ? ("none", "No monitors are shown on this page.")
            : down == 0 ? ("up", view.Monitors.Count == 1 ? "The monitor is up." : $"All {view.Monitors.Count} monitors are up.")
            : ("down", $"{down} of {view.Monitors.Count} monitor{(view.Monitors.Count == 1 ? " is" : "s are")} down.");
        if (down == 0 && view.Monitors.Count > 0 && view.Monitors.Any(m => m.Paused || m.State != MonitorState.Up))
        {
            summary = $"No monitor is down ({view.Monitors.Count(m => !m.Paused && m.State == MonitorState.Up)} of {view.Monitors.Count} up, the others paused or not yet checked).";
        }

        body.Append(CultureInfo.InvariantCulture, $"<p class=\"summary {summaryClass}\" role=\"status\">{Svg.E(summary)}</p>\n");
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">As of <time datetime=\"{Svg.Iso(view.At)}\">{Svg.Time(view.At)}</time>. Follow it: <a href=\"{Svg.E(view.Slug)}/feed\">Atom feed</a> · <a href=\"{Svg.E(view.Slug)}/feed?format=rss\">RSS</a></p></header>\n<main>\n");

        body.Append("<section aria-labelledby=\"monitors\"><h2 id=\"monitors\">Monitors</h2>\n");
        for (var i = 0; i < view.Monitors.Count; i++)
        {
            Monitor(body, view.Monitors[i], $"m{i}", open: view.Monitors.Count <= OpenChartsUpTo, view.At);
        }

        body.Append("</section>\n");
        Incidents(body, view.Incidents);
        body.Append("</main>\n<footer><p class=\"muted\">Times are UTC. Uptime counts confirmed outages as downtime; minutes when the checks themselves were in doubt, and maintenance, count neither way.</p></footer>\n");
        return Page(view.Title, body.ToString(), view.Slug);
    }

    public static string NotFound() =>
        Page("No such status page", "<main><h1>No such status page</h1>\n<p>There is no status page at this address. It may have been removed, or the link may be mistyped.</p></main>\n", null);

    private static void Monitor(StringBuilder html, MonitorPanel m, string id, bool open, DateTimeOffset now)
    {
        var (state, stateClass) = m.Paused ? ("Paused", "none")
            : m.State switch
            {
                MonitorState.Up => ("Up", "up"),
                MonitorState.Down => ("Down", "down"),
                MonitorState.Suppressed => ("Unconfirmed", "none"),
                _ => ("Not checked yet", "none"),
            };
        html.Append(CultureInfo.InvariantCulture, $"<article class=\"monitor\" aria-labelledby=\"{id}-h\"><div class=\"head\"><h3 id=\"{id}-h\">{Svg.E(m.Name)}</h3><span class=\"state {stateClass}\">{state}</span></div>\n");
        if (m.Target is { } target)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"target muted\">{Svg.E(target)}</p>\n");
        }

        var since = m.StateChangedAt is { } changed && !m.Paused && m.State is MonitorState.Up or MonitorState.Down ? $" · {state.ToLowerInvariant()} since <time datetime=\"{Svg.Iso(changed)}\">{Svg.Time(changed)}</time>" : string.Empty;
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"uptime\">Uptime, last 90 days: <strong>{Svg.Percent(m.Uptime.Availability)}</strong>{since}</p>\n");
        DayBars.Render(html, $"{id}-days", m.Name, m.Days);
        if (m.Days.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"axis muted\" aria-hidden=\"true\"><span>{m.Days.Count} days ago</span><span>today</span></div>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<details class=\"charts\"{(open ? " open" : string.Empty)}><summary>Monthly availability and latency</summary>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h4>Availability per month</h4>\n");
        NinesChart.Render(html, $"{id}-nines", m.Name, m.Months);
        html.Append("<h4>Latency</h4>\n<p class=\"legend muted\" aria-hidden=\"true\">");
        foreach (var (series, colour, dash) in LatencyChart.Series)
        {
            html.Append(CultureInfo.InvariantCulture, $"<svg width=\"28\" height=\"10\" viewBox=\"0 0 28 10\"><line x1=\"0\" x2=\"28\" y1=\"5\" y2=\"5\" stroke=\"{colour}\" stroke-width=\"2\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : string.Empty)}/></svg> {series} ");
        }

        html.Append("</p>\n");
        var regions = m.LatencyDay.Select(p => p.Region).Concat(m.LatencyMonth.Select(p => p.Region)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (regions.Count == 0)
        {
            html.Append("<p>No passing probes in the last 30 days.</p>\n");
        }

        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        html.Append("<div class=\"grid\">\n");
        for (var r = 0; r < regions.Count; r++)
        {
            LatencyChart.Render(html, $"{id}-l{r}d", m.Name, regions[r], "last 24 hours", now.AddHours(-24), now, Of(m.LatencyDay, regions[r]));
            LatencyChart.Render(html, $"{id}-l{r}m", m.Name, regions[r], "last 30 days", dayStart.AddDays(-29), now, Of(m.LatencyMonth, regions[r]));
        }

        html.Append("</div></details></article>\n");
    }

    private static List<LatencyPoint> Of(IReadOnlyList<LatencyPoint> points, string region) =>
        [.. points.Where(p => p.Region == region).OrderBy(p => p.At)];

    private static void Incidents(StringBuilder html, IReadOnlyList<PublicIncident> incidents)
    {
        html.Append("<section aria-labelledby=\"incidents\"><h2 id=\"incidents\">Incidents</h2>\n");
        if (incidents.Count == 0)
        {
            html.Append("<p>No incidents in the last 90 days.</p>\n");
        }

        foreach (var incident in incidents)
        {
            var when = incident.Open
                ? $"Ongoing since <time datetime=\"{Svg.Iso(incident.OpenedAt)}\">{Svg.Time(incident.OpenedAt)}</time>"
                : $"<time datetime=\"{Svg.Iso(incident.OpenedAt)}\">{Svg.Time(incident.OpenedAt)}</time> to <time datetime=\"{Svg.Iso(incident.ClosedAt ?? incident.OpenedAt)}\">{Svg.Time(incident.ClosedAt ?? incident.OpenedAt)}</time> ({DayBars.Duration((long)((incident.ClosedAt ?? incident.OpenedAt) - incident.OpenedAt).TotalSeconds)})";
            html.Append(CultureInfo.InvariantCulture, $"<article class=\"incident {(incident.Open ? "open" : "resolved")}\"><h3>{Svg.E(incident.MonitorName)}: {(incident.Open ? "down" : "resolved")}</h3><p>{when}</p>\n");
            if (incident.Notes.Count > 0)
            {
                html.Append("<ul class=\"notes\">");
                foreach (var note in incident.Notes)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li><time datetime=\"{Svg.Iso(note.At)}\">{Svg.Time(note.At)}</time><p>{Svg.E(note.Text)}</p></li>");
                }

                html.Append("</ul>\n");
            }

            html.Append("</article>\n");
        }

        html.Append("</section>\n");
    }

    private static string Page(string title, string body, string? slug) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Svg.E(title)}} · status</title>
        <link rel="icon" href="data:,">
        {{(slug is null ? string.Empty : $"<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{Svg.E(title)}: incidents\" href=\"{Svg.E(slug)}/feed\">")}}
        <style>
        *, *::before, *::after { box-sizing: border-box; }
        body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem; color: #1b1f24; background: #fff; }
        h1 { font-size: 1.6rem; margin: .5rem 0; }
        h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; }
        h3 { font-size: 1.05rem; margin: 0; overflow-wrap: anywhere; }
        h4 { font-size: .95rem; margin: 1rem 0 .25rem; }
        a { color: #0550ae; }
        .muted { color: #57606a; }
        .summary { padding: .75rem 1rem; border-radius: .4rem; font-weight: 600; }
        .summary.up { background: #dafbe1; color: #116329; }
        .summary.down { background: #ffebe9; color: #a40e26; }
        .summary.none { background: #eaeef2; color: #1b1f24; }
        .monitor { border: 1px solid #d0d7de; border-radius: .5rem; padding: .75rem 1rem; margin: 0 0 1rem; }
        .head { display: flex; justify-content: space-between; align-items: baseline; gap: .5rem; }
        .state { font-size: .85rem; font-weight: 600; padding: .1rem .6rem; border-radius: 1rem; color: #fff; white-space: nowrap; }
        .state.up { background: #1a7f37; } .state.down { background: #cf222e; } .state.none { background: #57606a; }
        .target { margin: 0; font-size: .85rem; overflow-wrap: anywhere; }
        .uptime { margin: .4rem 0; }
        svg { display: block; max-width: 100%; }
        svg.days { width: 100%; height: 2.2rem; }
        svg.nines { width: 100%; max-width: 32rem; height: auto; }
        figure.latency svg { width: 100%; height: auto; }
        .axis { display: flex; justify-content: space-between; font-size: .8rem; }
        details.charts > summary, details.alt > summary { cursor: pointer; color: #0550ae; margin: .5rem 0; }
        details.alt { font-size: .9rem; }
        .legend svg { display: inline-block; vertical-align: middle; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr)); gap: 1rem; }
        figure.latency { margin: 0; }
        figcaption { font-size: .9rem; font-weight: 600; }
        table { border-collapse: collapse; font-size: .85rem; margin: .25rem 0; }
        th, td { text-align: left; padding: .15rem .6rem .15rem 0; border-bottom: 1px solid #d0d7de; }
        .incident { border-left: .3rem solid #57606a; padding: .25rem .75rem; margin: 0 0 1rem; }
        .incident.open { border-color: #cf222e; } .incident.resolved { border-color: #1a7f37; }
        .incident p { margin: .2rem 0; }
        .notes { list-style: none; padding: 0; margin: .25rem 0; }
        .notes li { margin: .4rem 0; } .notes time { font-size: .85rem; color: #57606a; }
        .notes p { white-space: pre-wrap; overflow-wrap: anywhere; }
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        footer { margin-top: 2rem; font-size: .85rem; }
        @media (max-width: 30rem) { svg.nines .odd { display: none; } }
        </style>
        </head>
        <body>
        {{body}}
        </body>
        </html>

        """;
}
