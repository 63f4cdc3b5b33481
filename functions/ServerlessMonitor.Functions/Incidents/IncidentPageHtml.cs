using System.Globalization;
using System.Net;
using System.Text;
using ServerlessMonitor.Core.Incidents;

namespace ServerlessMonitor.Functions.Incidents;

/// <summary>
/// The read-only page an alert links to: the monitor, the incident's state, its timeline and the
/// alerts sent. Whoever holds the link sees it, so it shows no account or channel ids and no
/// notes; everything shown is encoded.
/// </summary>
public static class IncidentPageHtml
{
    public static string Render(IncidentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var view = IncidentQueries.View(detail);
        var monitor = detail.Incident.Monitor;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(monitor.Name)}</h1>\n");
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"target\">{E(monitor.Type.ToString().ToLowerInvariant())} {E(monitor.Target)}</p>\n");
        body.Append(CultureInfo.InvariantCulture, $"<p>Incident <strong>{E(view.State.ToString().ToLowerInvariant())}</strong>{(view.End is { } end && end != IncidentEnd.Recovered && end != IncidentEnd.Cancelled ? $" ({E(end.ToString().ToLowerInvariant())})" : string.Empty)}: opened {E(AlertMessages.Iso(view.OpenedAt))}{(view.ClosedAt is { } closed ? $", closed {E(AlertMessages.Iso(closed))}" : string.Empty)}.</p>\n");
        body.Append("<h2>Timeline</h2>\n<table>\n<tr><th>When (UTC)</th><th>What</th></tr>\n");
        foreach (var item in view.Timeline.Where(t => t.Kind is not ("alert" or "recovery-notice")))
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(AlertMessages.Iso(item.At))}</td><td>{E(Describe(item))}</td></tr>\n");
        }

        body.Append("</table>\n<h2>Alerts sent</h2>\n");
        if (view.Alerts.Count == 0)
        {
            body.Append("<p>None.</p>\n");
        }
        else
        {
            body.Append("<table>\n<tr><th>When (UTC)</th><th>Alert</th><th>Channel</th><th>Status</th></tr>\n");
            foreach (var a in view.Alerts)
            {
                var what = a.Kind == AlertKind.Failure ? $"failure {a.Sequence} of at most {IncidentPolicy.MaxFailureAlerts}" : "recovery notice";
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(AlertMessages.Iso(a.At))}</td><td>{E(what)}</td><td>{E(a.Channel.ToString().ToLowerInvariant())}</td><td>{E(a.Status.ToString().ToLowerInvariant())}</td></tr>\n");
            }

            body.Append("</table>\n");
        }

        return Page($"{monitor.Name} · incident", body.ToString());
    }

    public static string Problem(string title, string message) =>
        Page(title, $"<h1>{E(title)}</h1>\n<p>{E(message)}</p>\n");

    private static string Describe(TimelineItem item) => item.Kind switch
    {
        "opened" => $"opened: failing from {string.Join(", ", item.Regions ?? [])}",
        "recheck" => "rechecked every minute from every region",
        "verdict" when item.Count is { } count => $"{count} verdicts {Outcome(item)}, minutes {item.Minute} to {item.LastMinute}",
        "verdict" => $"verdict {Outcome(item)}, minute {item.Minute}",
        "alerting" => "alert delay over: alerting",
        _ => item.Kind,
    };

    private static string Outcome(TimelineItem item) =>
        $"{item.Outcome?.ToString().ToLowerInvariant()}{(item.Regions is { Count: > 0 } regions ? $" ({string.Join(", ", regions)})" : string.Empty)}";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Page(string title, string body) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{E(title)}} · Serverless Monitor</title>
        <style>
        body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
        h1 { font-size: 1.4rem; margin-bottom: 0; }
        h2 { font-size: 1.1rem; margin-top: 2rem; }
        .target { color: #57606a; margin-top: 0; word-break: break-all; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
        </style>
        </head>
        <body>
        {{body}}
        </body>
        </html>

        """;
}
