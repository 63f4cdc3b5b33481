using System.Text.Json.Nodes;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// What an alert says (docs/INCIDENTS.md, Messages): the monitor, what failed, from which
/// regions, each region's phases, which alert of at most four, and the incident page link.
/// Email and webhooks get it all; an SMS is one GSM-7 segment, so it says only what a person
/// needs to decide to look.
/// </summary>
public sealed class AlertMessages(IncidentLinks links)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new UtcTimeJsonConverter() },
    };

    public OutgoingMessage For(AlertContent content, ChannelKind channel, string to)
    {
        ArgumentNullException.ThrowIfNull(content);
        var link = links.For(content.IncidentId, content.At);
        return channel switch
        {
            ChannelKind.Sms => new OutgoingMessage(channel, to, AlertSms.Text(content, link)),
            ChannelKind.Webhook => new OutgoingMessage(channel, to, Text(content, link)) { Subject = Subject(content), Data = WebhookData(content, link) },
            _ => new OutgoingMessage(channel, to, Text(content, link)) { Subject = Subject(content), Html = Html(content, link) },
        };
    }

    /// <summary>The webhook payload's fields besides subject and text, which the webhook transport adds from the message.</summary>
    private static JsonObject WebhookData(AlertContent content, string link)
    {
        var data = JsonSerializer.SerializeToNode(Payload(content, link), Json)!.AsObject();
        data.Remove("subject");
        data.Remove("text");
        return data;
    }

    public static string Subject(AlertContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        // A blacklist monitor is not down or up: its target is listed, then delisted.
        var dnsbl = content.Monitor.Type == ProbeType.Dnsbl;
        return content.Kind == AlertKind.Failure
            ? $"{(IsListing(content) ? "LISTED" : "DOWN")}: {content.Monitor.Name}"
            : $"{(dnsbl ? "DELISTED" : "RECOVERED")}: {content.Monitor.Name}";
    }

    /// <summary>A dnsbl failure known to be a listing: not a target name that no longer exists, nor a failure no result tells of.</summary>
    public static bool IsListing(AlertContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.Monitor.Type == ProbeType.Dnsbl
            && content.Failure is not null && content.Failure.Regions.Any(r => r.Error?.Code == DnsblOutcome.ListedCode);
    }

    public static WebhookAlertPayload Payload(AlertContent content, string link)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new WebhookAlertPayload(
            content.Kind == AlertKind.Failure ? "incident.failure" : "incident.recovery",
            new WebhookAlertPayload.IncidentPart(content.IncidentId, content.OpenedAt, link),
            content.Monitor,
            content.At,
            content.Sequence,
            content.Failure,
            Subject(content),
            Text(content, link));
    }

    /// <summary>The plain text of an email, and the webhook's <c>text</c>.</summary>
    public static string Text(AlertContent content, string link)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lines = new List<string>();
        foreach (var (line, _) in Lines(content, link))
        {
            lines.Add(line);
        }

        return string.Join('\n', lines);
    }

    /// <summary>The same as HTML, every piece of it encoded; the link is the one thing clickable.</summary>
    public static string Html(AlertContent content, string link)
    {
        ArgumentNullException.ThrowIfNull(content);
        var html = new StringBuilder("<!doctype html>\n<html><body style=\"font-family:sans-serif\">\n");
        foreach (var (line, isLink) in Lines(content, link))
        {
            html.Append(line.Length == 0 ? "<br>\n" : isLink
                ? $"<p>Incident: <a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(link)}</a></p>\n"
                : $"<p>{WebUtility.HtmlEncode(line)}</p>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>Where a time appears in text: ISO UTC with milliseconds, as in the API.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>What failed, in one phrase: the first region with an error, else its status.</summary>
    public static string WhatFailed(FailureSummary? failure)
    {
        var first = failure?.Regions.FirstOrDefault(r => r.Error is not null) ?? failure?.Regions.FirstOrDefault();
        return first switch
        {
            null => "no satisfactory answer from any region",
            { Error: { } e } => $"{Class(e.Class)}: {e.Message}{(e.Code is null ? string.Empty : $" ({e.Code})")}",
            { Status: { } status } => $"status {status}",
            _ => "failed",
        };
    }

    internal static string Class(ErrorClass c) => JsonNamingPolicy.CamelCase.ConvertName(c.ToString());

    private static IEnumerable<(string Line, bool IsLink)> Lines(AlertContent c, string link)
    {
        var what = $"{c.Monitor.Name} ({JsonNamingPolicy.CamelCase.ConvertName(c.Monitor.Type.ToString())} {c.Monitor.Target})";
        var dnsbl = c.Monitor.Type == ProbeType.Dnsbl;
        if (c.Kind == AlertKind.Recovery)
        {
            yield return (dnsbl ? $"{what} is no longer listed on any blacklist checked." : $"{what} is answering again.", false);
            yield return ($"{(dnsbl ? "Listed" : "Down")} since {Iso(c.OpenedAt)}, {(dnsbl ? "delisted" : "recovered")} at {Iso(c.At)}.", false);
            yield return (string.Empty, false);
            yield return ($"Incident: {link}", true);
            yield break;
        }

        yield return (IsListing(c) ? $"{what} is listed on a blacklist since {Iso(c.OpenedAt)}." : $"{what} is failing since {Iso(c.OpenedAt)}.", false);
        yield return (string.Empty, false);
        yield return ($"What failed: {WhatFailed(c.Failure)}", false);
        var regions = c.Failure?.Regions ?? [];
        if (regions.Count > 0)
        {
            yield return ($"Failing from: {string.Join(", ", regions.Select(r => r.Region))}", false);
            yield return (string.Empty, false);
            foreach (var r in regions)
            {
                var cause = r.Error is { } e ? $"{Class(e.Class)}: {e.Message}" : r.Status is { } s ? $"status {s}" : "failed";
                yield return ($"{r.Region}: {cause}{(r.Status is { } st && r.Error is not null ? $" (status {st})" : string.Empty)}", false);
                yield return ($"  phases: {Phases(r.Phases)}", false);
            }
        }

        yield return (string.Empty, false);
        yield return ($"Alert {c.Sequence ?? 1} of at most {IncidentPolicy.MaxFailureAlerts} for this incident.", false);
        yield return ($"Incident: {link}", true);
    }

    private static string Phases(ProbePhases p) =>
        $"dns {Ms(p.Dns)}, connect {Ms(p.Connect)}, tls {Ms(p.Tls)}, first byte {Ms(p.FirstByte)}, total {Ms(p.Total)}";

    private static string Ms(double? value) =>
        value is { } v ? $"{(Math.Round(v * 10, MidpointRounding.AwayFromZero) / 10).ToString(CultureInfo.InvariantCulture)} ms" : "-";
}
