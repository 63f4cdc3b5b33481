using System.Net.Sockets;

namespace ServerlessMonitor.Core.Probes;

/// <summary>Socket errors under the POSIX names the TypeScript engine reported (and stored results carry).</summary>
internal static class SocketErrorCodes
{
    public static string? Name(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "ECONNREFUSED",
        SocketError.NetworkUnreachable => "ENETUNREACH",
        SocketError.HostUnreachable => "EHOSTUNREACH",
        SocketError.NetworkDown => "ENETDOWN",
        SocketError.HostDown => "EHOSTDOWN",
        SocketError.AddressNotAvailable => "EADDRNOTAVAIL",
        SocketError.ConnectionReset => "ECONNRESET",
        SocketError.ConnectionAborted => "ECONNABORTED",
        SocketError.TimedOut => "ETIMEDOUT",
        SocketError.Shutdown => "EPIPE",
        _ => null,
    };

    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkDown => "network is down",
        SocketError.HostDown => "host is down",
        SocketError.AddressNotAvailable => "no local address to connect from",
        SocketError.ConnectionReset => "connection reset",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.TimedOut => "timed out",
        SocketError.Shutdown => "the server closed the connection while we were sending",
        _ => error.ToString(),
    };

    /// <summary>Failures of our own network: whatever the probe was doing, the target was never reached.</summary>
    public static bool IsOurNetwork(SocketError error) =>
        error is SocketError.NetworkUnreachable or SocketError.NetworkDown or SocketError.AddressNotAvailable;
}
