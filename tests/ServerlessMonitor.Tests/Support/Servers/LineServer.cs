using System.Collections.Concurrent;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>
/// A loopback server that runs a line-based conversation per connection and keeps the lines
/// clients sent, so a test can check what a probe said (QUIT, LOGOUT, its EHLO name).
/// </summary>
public sealed class LineServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private int _secure;

    public LineServer(Func<LineServer, LineSession, Task> conversation)
    {
        _server = new LoopbackServer(async (socket, stopping) =>
        {
            var session = new LineSession(socket, stopping);
            await conversation(this, session).ConfigureAwait(false);
            await session.WaitForCloseAsync().ConfigureAwait(false);
        });
    }

    public int Port => _server.Port;

    public int Connections => _server.Connections;

    /// <summary>Sessions still running (their sockets open).</summary>
    public int OpenSessions => _server.Open;

    /// <summary>Lines received from clients, in order.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>Raw bytes received where a conversation reads bytes (telnet).</summary>
    public ConcurrentQueue<byte> Bytes { get; } = new();

    /// <summary>TLS sessions established (implicit or upgraded).</summary>
    public int SecureSessions => Volatile.Read(ref _secure);

    public void CountSecureSession() => Interlocked.Increment(ref _secure);

    /// <summary>Reads a line and keeps it; null when the client closed.</summary>
    public async Task<string?> ReadAsync(LineSession session)
    {
        var line = await session.ReadLineAsync().ConfigureAwait(false);
        if (line is not null)
        {
            Lines.Enqueue(line);
        }

        return line;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
