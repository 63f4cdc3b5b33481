using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// What a certificate warning says (docs/MONITORS.md, Certificate warnings): the monitor, its
/// target, the certificate's subject, expiry and days left. Email and webhooks get it all; an SMS
/// is one GSM-7 segment (<see cref="CertificateSms"/>). No link: there is no incident to open.
/// </summary>
public static class CertificateMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new UtcTimeJsonConverter() },
    };

    public static OutgoingMessage For(CertificateNotice notice, ChannelKind channel, string to)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return channel switch
        {
            ChannelKind.Sms => new OutgoingMessage(channel, to, CertificateSms.Text(notice)),
            ChannelKind.Webhook => new OutgoingMessage(channel, to, Text(notice)) { Subject = Subject(notice), Data = WebhookData(notice) },
            _ => new OutgoingMessage(channel, to, Text(notice)) { Subject = Subject(notice), Html = Html(notice) },
        };
    }

    public static string Subject(CertificateNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return $"CERTIFICATE: {notice.Monitor.Name} {notice.Expires}";
    }

    public static WebhookCertificatePayload Payload(CertificateNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var c = notice.Certificate;
        return new WebhookCertificatePayload(
            WebhookCertificatePayload.CertificateExpiring,
            notice.Monitor,
            new WebhookCertificatePayload.CertificatePart(c.Subject, c.ExpiresAt, c.DaysLeft, c.Sha256, c.WarningDays),
            notice.At,
            Subject(notice),
            Text(notice));
    }

    /// <summary>The plain text of an email, and the webhook's <c>text</c>.</summary>
    public static string Text(CertificateNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return string.Join('\n', Lines(notice));
    }

    /// <summary>The same as HTML, every piece of it encoded.</summary>
    public static string Html(CertificateNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var html = new StringBuilder("<!doctype html>\n<html><body style=\"font-family:sans-serif\">\n");
        foreach (var line in Lines(notice))
        {
            html.Append(line.Length == 0 ? "<br>\n" : $"<p>{WebUtility.HtmlEncode(line)}</p>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>The payload's fields besides subject and text, which the webhook transport adds from the message.</summary>
    private static JsonObject WebhookData(CertificateNotice notice)
    {
        var data = JsonSerializer.SerializeToNode(Payload(notice), Json)!.AsObject();
        data.Remove("subject");
        data.Remove("text");
        return data;
    }

    private static IEnumerable<string> Lines(CertificateNotice n)
    {
        var c = n.Certificate;
        var type = JsonNamingPolicy.CamelCase.ConvertName(n.Monitor.Type.ToString());
        yield return $"The TLS certificate of {n.Monitor.Name} {n.Expires}, on {Day(c.ExpiresAt)}.";
        yield return string.Empty;
        yield return $"Monitor: {n.Monitor.Name} ({type} {n.Monitor.Target})";
        yield return $"Certificate: {c.Subject}";
        yield return $"Expires: {AlertMessages.Iso(c.ExpiresAt)} ({c.DaysLeft.ToString(CultureInfo.InvariantCulture)} day{(c.DaysLeft == 1 ? string.Empty : "s")} left)";
        yield return $"SHA-256: {c.Sha256}";
        yield return string.Empty;
        yield return "Renew it before then: once it has expired, every probe of the monitor fails and an incident opens.";
        yield return $"This warning is sent once per certificate; a new certificate that also expires within {c.WarningDays.ToString(CultureInfo.InvariantCulture)} days is warned about again.";
    }

    internal static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
