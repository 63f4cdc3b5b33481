using System.Net;
using System.Net.Sockets;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>Ports for the failures before a connection exists.</summary>
public static class ClosedPorts
{
    /// <summary>
    /// A loopback TCP port that refuses connections while the returned socket is held: bound, so
    /// no one else gets it, and not listening, so the kernel answers every SYN with a reset.
    /// </summary>
    public static Socket RefusingTcp(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    /// <summary>
    /// A loopback UDP port where nothing answers (a DNS server that is down): bound, and connected
    /// elsewhere, so datagrams from anyone else meet ICMP port unreachable.
    /// </summary>
    public static Socket RefusingUdp(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(new IPEndPoint(IPAddress.Loopback, 9));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    /// <summary>
    /// A loopback port where a connection is never established (a connect timeout): a listener
    /// with a backlog of 1 that never accepts, its queue filled by two connections of ours, after
    /// which Linux drops further SYNs and a connect hangs until the client gives up.
    /// </summary>
    public static SilentPort Unresponsive() => new();

    public sealed class SilentPort : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly List<Socket> _fillers = [];

        internal SilentPort()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(1);
            Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            for (var i = 0; i < 2; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                filler.Connect(IPAddress.Loopback, Port);
                _fillers.Add(filler);
            }
        }

        public int Port { get; }

        public void Dispose()
        {
            foreach (var filler in _fillers)
            {
                filler.Dispose();
            }

            _listener.Dispose();
        }
    }
}
