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

    /// <summary>dnsbl: the lists (zones) to check; default the deployment's (SM_DNSBL_LISTS).</summary>
    public IReadOnlyList<string>? Lists { get; init; }

    public static ProbeExpect None { get; } = new();

    /// <summary>
    /// The fields that are set but mean nothing to <paramref name="type"/> (API names, e.g.
    /// <c>keyword</c> on a tcp monitor): a check the user believes in that no probe would make.
    /// </summary>
    public IReadOnlyList<string> MisplacedFields(ProbeType type)
    {
        var web = type is ProbeType.Http or ProbeType.Https;
        var mail = type is ProbeType.Smtp or ProbeType.Pop3 or ProbeType.Imap;
        var banner = mail || type is ProbeType.Ftp or ProbeType.Telnet or ProbeType.Ssh;
        (string Name, bool Set, bool Applies)[] fields =
        [
            ("status", Status is not null, web),
            ("keyword", Keyword is not null, web),
            ("absent", Absent is not null, web),
            ("maxRedirects", MaxRedirects is not null, web),
            ("certificateWarningDays", CertificateWarningDays is not null, web),
            ("send", Send is not null, type == ProbeType.Tcp),
            ("receive", Receive is not null, type == ProbeType.Tcp),
            ("recordType", RecordType is not null, type == ProbeType.Dns),
            ("server", Server is not null, type == ProbeType.Dns),
            ("value", Value is not null, type == ProbeType.Dns),
            ("banner", Banner is not null, banner),
            ("tls", Tls is not null, mail),
            ("lists", Lists is not null, type == ProbeType.Dnsbl),
        ];
        return [.. fields.Where(field => field.Set && !field.Applies).Select(field => field.Name)];
    }
}
