using System.Net;

namespace ServerlessMonitor.Core.Probes;

/// <summary>How <see cref="ProbeNetwork"/> resolves names.</summary>
public sealed record ProbeResolverOptions
{
    /// <summary>Resolvers to ask; null or empty: the system's (/etc/resolv.conf).</summary>
    public IReadOnlyList<IPEndPoint>? NameServers { get; init; }

    /// <summary>
    /// Wait for one try. Two tries of 2 s ride out one lost UDP packet within a typical probe
    /// budget; the probe's own timeout ends the query sooner when it must.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    public int Retries { get; init; } = 1;
}
