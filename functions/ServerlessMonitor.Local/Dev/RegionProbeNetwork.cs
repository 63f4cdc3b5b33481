using System.Net;
using System.Net.Sockets;
using DnsClient;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Local.Dev;

/// <summary>
/// A simulated region's network: the real one, unless the region is isolated
/// (/api/dev/regions/&lt;name&gt;/isolated), when it reaches nothing and every probe fails to connect.
/// </summary>
public sealed class RegionProbeNetwork(RegionFaults faults, string region, IProbeNetwork real) : IProbeNetwork
{
    private IProbeNetwork Current => faults[region] == RegionState.Isolated ? UnreachableProbeNetwork.Instance : real;

    public IReadOnlyList<IPEndPoint> NameServers => Current.NameServers;

    public ValueTask<Socket> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken) => Current.ConnectAsync(remote, cancellationToken);

    public Task<IDnsQueryResponse> QueryAsync(DnsQuestion question, IPEndPoint? server, CancellationToken cancellationToken) =>
        Current.QueryAsync(question, server, cancellationToken);
}
