using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// TLS use of the mail protocols: <c>implicit</c> from the first byte (SMTPS, IMAPS, POP3S),
/// <c>starttls</c> an upgrade the server must offer, <c>auto</c> an upgrade when offered, <c>off</c>.
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<MailTls>))]
public enum MailTls
{
    Implicit,
    Starttls,
    Auto,
    Off,
}
