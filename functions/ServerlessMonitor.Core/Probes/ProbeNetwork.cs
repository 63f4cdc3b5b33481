using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace ServerlessMonitor.Core.Probes;

/// <summary>The real network: plain sockets, and DnsClient without its cache.</summary>
public sealed class ProbeNetwork : IProbeNetwork
{
    private readonly LookupClient _resolver;

    public ProbeNetwork(ProbeResolverOptions? options = null)
    {
        options ??= new ProbeResolverOptions();
        var servers = options.NameServers is { Count: > 0 } given
            ? given.Select(endpoint => new NameServer(endpoint)).ToArray()
            : [.. NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)];
        _resolver = new LookupClient(new LookupClientOptions(servers)
        {
            // A probe measures resolution as a first-time visitor pays it: no answer is ever reused.
            UseCache = false,
            Timeout = options.Timeout,
            Retries = options.Retries,
            // Failures come back as response codes, so the probe can name them (ENOTFOUND, ESERVFAIL).
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            UseRandomNameServer = false,
        });
        NameServers = [.. servers.Select(server => new IPEndPoint(server.Address is { } text ? IPAddress.Parse(text) : IPAddress.None, server.Port))];
    }

    public IReadOnlyList<IPEndPoint> NameServers { get; }

    public async ValueTask<Socket> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task<IDnsQueryResponse> QueryAsync(DnsQuestion question, IPEndPoint? server, CancellationToken cancellationToken)
    {
        if (server is null)
        {
            return _resolver.QueryAsync(question, cancellationToken);
        }

        var options = new DnsQueryAndServerOptions(server)
        {
            UseCache = false,
            Timeout = _resolver.Settings.Timeout,
            Retries = _resolver.Settings.Retries,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
        };
        return _resolver.QueryAsync(question, options, cancellationToken);
    }
}
