namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// One probe's answer, before the cycle stamps it with time and region. Serialised with
/// <see cref="ProbeJson"/> it has the TypeScript engine's field names (camelCase, absent
/// fields left out, phases always present), so the results API can serve it unchanged.
/// </summary>
public sealed record ProbeResult
{
    public required bool Ok { get; init; }

    public ProbeError? Error { get; init; }

    public required ProbePhases Phases { get; init; }

    /// <summary>HTTP status, or the numeric reply code of a banner protocol (220, …).</summary>
    public int? Status { get; init; }

    /// <summary>The address the probe connected to (or tried, or refused to).</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>What the server says it is: Server header, greeting, SSH software, telnet banner.</summary>
    public string? Server { get; init; }

    /// <summary>DNS probes: the records found, as dig prints them.</summary>
    public IReadOnlyList<string>? Answers { get; init; }

    /// <summary>dnsbl probes: each list's answer (shared/API.md, DNS blacklists).</summary>
    public IReadOnlyList<DnsblListing>? Listings { get; init; }

    /// <summary>The TLS certificate the server presented, when TLS was used.</summary>
    public CertificateInfo? Certificate { get; init; }

    /// <summary>Set when the certificate expires within the warning window.</summary>
    public CertificateWarning? CertificateWarning { get; init; }

    /// <summary>The warning as text (the TypeScript engine's `warning` field).</summary>
    public string? Warning => CertificateWarning?.Message;

    /// <summary>The certificate's expiry (the TypeScript engine's `certificateExpiresAt` field).</summary>
    public DateTimeOffset? CertificateExpiresAt => Certificate?.ExpiresAt;
}
