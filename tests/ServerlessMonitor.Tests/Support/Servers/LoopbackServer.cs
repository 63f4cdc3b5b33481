using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>
/// A TCP server on 127.0.0.1 with an ephemeral port that runs <c>session</c> for each connection
/// until it ends or the server is disposed. Every accepted socket is closed when its session
/// ends, so the probe's side is the only one a leak test can blame.
/// </summary>
public class LoopbackServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> _sessions = new();
    private readonly Func<Socket, CancellationToken, Task> _session;
    private readonly Task _accepting;
    private int _accepted;

    public LoopbackServer(Func<Socket, CancellationToken, Task> session, IPAddress? address = null)
    {
        _session = session;
        address ??= IPAddress.Loopback;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, 0));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _accepted);

    /// <summary>Sessions still running (their sockets open).</summary>
    public int Open => _sessions.Count;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        foreach (var socket in _sessions.Keys)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_sessions.Values).ConfigureAwait(false);
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            socket.NoDelay = true;
            _sessions[socket] = RunAsync(socket);
        }
    }

    private async Task RunAsync(Socket socket)
    {
        await Task.Yield();
        try
        {
            await _session(socket, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away or failed its handshake (a probe refusing the certificate): expected here.
        }
        finally
        {
            socket.Dispose();
            _sessions.TryRemove(socket, out _);
        }
    }
}
