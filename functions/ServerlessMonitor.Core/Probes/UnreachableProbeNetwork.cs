using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// A network that reaches nothing: every connect and query fails as an unplugged region's would
/// (network unreachable), so every probe fails with class <c>connect</c>, code ENETUNREACH. The
/// local runtime swaps it in for an isolated region (/api/dev/regions/&lt;name&gt;/isolated).
/// </summary>
public sealed class UnreachableProbeNetwork : IProbeNetwork
{
    public static UnreachableProbeNetwork Instance { get; } = new();

    public IReadOnlyList<IPEndPoint> NameServers => [];

    public ValueTask<Socket> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken) =>
        ValueTask.FromException<Socket>(new SocketException((int)SocketError.NetworkUnreachable));

    public Task<IDnsQueryResponse> QueryAsync(DnsQuestion question, IPEndPoint? server, CancellationToken cancellationToken) =>
        Task.FromException<IDnsQueryResponse>(new SocketException((int)SocketError.NetworkUnreachable));
}
