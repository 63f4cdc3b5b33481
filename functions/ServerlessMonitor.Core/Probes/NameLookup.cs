using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// Addresses of a target's host name, asked of the probe network's resolver every time (no
/// cache, no getaddrinfo): a query is cancelled with the probe, and /etc/hosts is not read, so
/// "localhost" is answered here (RFC 6761) rather than by the system.
/// </summary>
internal static class NameLookup
{
    private static readonly IPAddress[] Localhost = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>IPv4 first: Azure Functions have no outbound IPv6, and most targets answer on both. AAAA only when the name has no A record.</summary>
    public static async Task<IReadOnlyList<IPAddress>> AddressesAsync(IProbeNetwork network, string host, CancellationToken cancellationToken)
    {
        if (IsLocalhost(host))
        {
            return Localhost;
        }

        var v4 = await QueryAsync(network, host, QueryType.A, cancellationToken).ConfigureAwait(false);
        if (v4.Count > 0)
        {
            return v4;
        }

        var v6 = await QueryAsync(network, host, QueryType.AAAA, cancellationToken).ConfigureAwait(false);
        return v6.Count > 0 ? v6 : throw new ProbeFailure(ErrorClass.Dns, $"cannot resolve {host}: the name has no address records", "ENODATA");
    }

    public static bool IsLocalhost(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<IReadOnlyList<IPAddress>> QueryAsync(IProbeNetwork network, string host, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await network.QueryAsync(new DnsQuestion(host, type), server: null, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException) when (cancellationToken.IsCancellationRequested)
        {
            // DnsClient reports a cancelled query as a timeout of its own; the probe's deadline decides what it was.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (DnsResponseException error)
        {
            var (code, message) = DnsAnswerCodes.Describe(error);
            throw new ProbeFailure(ErrorClass.Dns, $"cannot resolve {host}: {message}", code);
        }

        if (response.HasError)
        {
            var (code, message) = DnsAnswerCodes.Describe((DnsResponseCode)response.Header.ResponseCode);
            throw new ProbeFailure(ErrorClass.Dns, $"cannot resolve {host}: {message}", code);
        }

        return
        [
            .. response.Answers.OfType<AddressRecord>()
                .Where(record => record.RecordType == (type == QueryType.A ? ResourceRecordType.A : ResourceRecordType.AAAA))
                .Select(record => record.Address),
        ];
    }
}
