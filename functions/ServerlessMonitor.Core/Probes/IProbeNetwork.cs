using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// Everything a probe sends onto the network goes through here: TCP connects and DNS queries.
/// It is the one seam for whoever must change how probes reach the network, e.g. the local
/// runtime cutting a simulated region off (<see cref="UnreachableProbeNetwork"/>).
/// </summary>
public interface IProbeNetwork
{
    /// <summary>A new TCP connection to an address the caller already checked; never a pooled one.</summary>
    ValueTask<Socket> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken);

    /// <summary>
    /// One DNS question, never answered from a cache. <paramref name="server"/> is the server to
    /// ask (a dns monitor's own); null asks the resolvers this network was configured with.
    /// </summary>
    Task<IDnsQueryResponse> QueryAsync(DnsQuestion question, IPEndPoint? server, CancellationToken cancellationToken);

    /// <summary>The resolvers asked when a query names no server (for reporting which one answered).</summary>
    IReadOnlyList<IPEndPoint> NameServers { get; }
}
