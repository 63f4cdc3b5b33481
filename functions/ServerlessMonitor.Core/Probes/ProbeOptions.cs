using System.Security.Cryptography.X509Certificates;

namespace ServerlessMonitor.Core.Probes;

/// <summary>How a deployment lets its probes behave.</summary>
public sealed record ProbeOptions
{
    /// <summary>SM_ALLOW_PRIVATE_TARGETS: loopback, private and other internal addresses may be probed.</summary>
    public bool AllowPrivateTargets { get; init; }

    /// <summary>
    /// Root certificates trusted besides the system's: a deployment's private CA, or the CA that
    /// tests and benchmarks generate. Validation itself is never switched off.
    /// </summary>
    public X509Certificate2Collection? ExtraTrustedRoots { get; init; }

    /// <summary>Which blacklists dnsbl monitors are checked against, through which resolver, how fast.</summary>
    public DnsblOptions Dnsbl { get; init; } = new();
}
