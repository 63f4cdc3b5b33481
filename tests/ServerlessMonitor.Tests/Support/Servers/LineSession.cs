using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>The server's side of a line-based conversation: read lines, send lines, start TLS.</summary>
public sealed class LineSession(Socket socket, CancellationToken stopping)
{
    private readonly List<byte> _pending = [];
    private Stream _stream = new NetworkStream(socket, ownsSocket: false);

    public bool Secure => _stream is SslStream;

    /// <summary>The next line, or null when the client closed.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var buffer = new byte[1024];
        while (true)
        {
            var newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString([.. _pending.Take(newline)]).TrimEnd('\r');
                _pending.RemoveRange(0, newline + 1);
                return line;
            }

            var read = await _stream.ReadAsync(buffer, stopping).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>Raw bytes as they come (telnet negotiation), or an empty array when the client closed.</summary>
    public async Task<byte[]> ReadBytesAsync()
    {
        var buffer = new byte[1024];
        var read = await _stream.ReadAsync(buffer, stopping).ConfigureAwait(false);
        return buffer[..read];
    }

    public Task SendAsync(params string[] lines) => SendBytesAsync(Encoding.UTF8.GetBytes(string.Concat(lines.Select(line => $"{line}\r\n"))));

    public async Task SendBytesAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes, stopping).ConfigureAwait(false);
        await _stream.FlushAsync(stopping).ConfigureAwait(false);
    }

    public async Task StartTlsAsync(X509Certificate2 certificate)
    {
        var secure = new SslStream(_stream, leaveInnerStreamOpen: false);
        await secure.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stopping).ConfigureAwait(false);
        _stream = secure;
    }

    /// <summary>Waits until the client closes (a silent server's part).</summary>
    public async Task WaitForCloseAsync()
    {
        while ((await ReadBytesAsync().ConfigureAwait(false)).Length > 0)
        {
        }
    }
}
