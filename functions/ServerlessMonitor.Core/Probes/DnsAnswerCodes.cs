using DnsClient;

namespace ServerlessMonitor.Core.Probes;

/// <summary>A resolver's answer codes under the names the TypeScript engine (c-ares) reported.</summary>
internal static class DnsAnswerCodes
{
    public static (string Code, string Message) Describe(DnsResponseCode code) => code switch
    {
        DnsResponseCode.NotExistentDomain => ("ENOTFOUND", "no such domain name (NXDOMAIN)"),
        DnsResponseCode.ServerFailure => ("ESERVFAIL", "the resolver failed to answer (SERVFAIL)"),
        DnsResponseCode.Refused => ("EREFUSED", "the resolver refused the query"),
        DnsResponseCode.FormatError => ("EFORMERR", "the resolver rejected the query as malformed"),
        DnsResponseCode.NotImplemented => ("ENOTIMP", "the resolver does not implement this query"),
        DnsResponseCode.ConnectionTimeout => ("ETIMEOUT", "the resolver did not answer"),
        _ => ("EBADRESP", $"the resolver answered {code}"),
    };

    /// <summary>The failure of a query that threw: silence, a refused port, or a garbled answer.</summary>
    public static (string Code, string Message) Describe(Exception error)
    {
        if (error is DnsResponseException { Code: var code } && code != DnsResponseCode.Unassigned)
        {
            return Describe(code);
        }

        var socket = ExceptionChain.Find<System.Net.Sockets.SocketException>(error);
        if (socket is not null && SocketErrorCodes.Name(socket.SocketErrorCode) is { } name)
        {
            return (name, $"the resolver could not be reached ({SocketErrorCodes.Describe(socket.SocketErrorCode)})");
        }

        return ("EBADRESP", $"name resolution failed: {error.Message}");
    }
}
