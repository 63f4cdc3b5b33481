using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Probes;

/// <summary>The monitor types the probe engine can check (shared/API.md, monitor `type`).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ProbeType>))]
public enum ProbeType
{
    Http,
    Https,
    Tcp,
    Ping,
    Dns,
    Ftp,
    Smtp,
    Pop3,
    Imap,
    Telnet,
    Ssh,
    Dnsbl,
}
