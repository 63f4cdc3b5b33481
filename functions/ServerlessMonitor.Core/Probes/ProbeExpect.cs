namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// A monitor's type-specific checks (shared/API.md, `expect`). One record for every type: each
/// type reads its own fields, and monitor validation decides which fields a type may carry.
/// </summary>
public sealed record ProbeExpect
{
    /// <summary>http(s): accepted status codes; default 100–399.</summary>
    public IReadOnlyList<int>? Status { get; init; }

    /// <summary>http(s): the body must contain this text.</summary>
    public string? Keyword { get; init; }

    /// <summary>http(s): the body must not contain this text.</summary>
    public string? Absent { get; init; }

    /// <summary>http(s): redirects followed, each checked again by the address policy; 0 reports the 3xx. Default 5.</summary>
    public int? MaxRedirects { get; init; }

    /// <summary>TLS: warn when the certificate expires within this many days. Default 14.</summary>
    public int? CertificateWarningDays { get; init; }

    /// <summary>tcp: written after connecting.</summary>
    public string? Send { get; init; }

    /// <summary>tcp: the first answer must contain this text.</summary>
    public string? Receive { get; init; }

    /// <summary>dns: A, AAAA, CNAME, MX, NS, TXT, SOA, SRV, CAA or PTR; default A.</summary>
    public string? RecordType { get; init; }

    /// <summary>dns: the server to ask, `ip`, `ip:port` or `[v6]:port`; default the probe's resolver.</summary>
    public string? Server { get; init; }

    /// <summary>dns: one answer must contain this text (case-insensitive).</summary>
    public string? Value { get; init; }

    /// <summary>ftp, smtp, pop3, imap, telnet, ssh: the greeting must contain this text.</summary>
    public string? Banner { get; init; }

    /// <summary>smtp, pop3, imap: TLS use; default implicit on 465/993/995, else auto.</summary>
    public MailTls? Tls { get; init; }

    public static ProbeExpect None { get; } = new();
}
