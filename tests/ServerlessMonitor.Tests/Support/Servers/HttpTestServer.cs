using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Web;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>
/// An HTTP/1.1 server on loopback (HTTPS with <c>certificate</c>) with behaviours addressed by path:
/// <code>
///   /                          200 "ok: serverless monitor test server"
///   /status/&lt;code&gt;             that status
///   /delay/&lt;ms&gt;                200 after &lt;ms&gt; milliseconds
///   /hang                      reads the request and never answers
///   /redirect?to=&lt;url&gt;[&amp;status=&lt;3xx&gt;]   a redirect (302 by default)
///   /loop                      redirects to itself, forever
///   /close                     closes the connection before answering
///   /truncated                 promises 1000 bytes, sends 10 and closes
///   /large?kib=&lt;n&gt;[&amp;tail=&lt;text&gt;]   &lt;n&gt; KiB of filler, then &lt;text&gt;
///   /text?body=&lt;text&gt;          200 with that body
/// </code>
/// Written by hand so the tests control every byte (a cut body, a close before the answer) and
/// so the benchmarks can run it in a process of its own.
/// </summary>
public sealed class HttpTestServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly X509Certificate2? _certificate;
    private readonly SslStreamCertificateContext? _certificateContext;
    private readonly List<string> _requests = [];

    public HttpTestServer(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        // Built once: a context per handshake would rebuild the server's chain and TLS context every time.
        _certificateContext = certificate is null ? null : SslStreamCertificateContext.Create(certificate, additionalCertificates: null);
        _server = new LoopbackServer(ServeAsync);
    }

    public int Port => _server.Port;

    public string Url => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}";

    public int Connections => _server.Connections;

    public int OpenSessions => _server.Open;

    /// <summary>Request targets in the order they arrived.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        await using var _ = stream;
        if (_certificateContext is not null)
        {
            var secure = new SslStream(stream, leaveInnerStreamOpen: false);
            stream = secure;
            await secure.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = _certificateContext }, stopping).ConfigureAwait(false);
        }

        var head = await ReadHeadAsync(stream, stopping).ConfigureAwait(false);
        if (head is null)
        {
            return;
        }

        var target = head.Split(' ')[1];
        lock (_requests)
        {
            _requests.Add(target);
        }

        await RespondAsync(stream, new Uri(new Uri("http://test"), target), stopping).ConfigureAwait(false);
        // Hold the connection until the client closes it, as a Connection: close client expects.
        await DrainAsync(stream, stopping).ConfigureAwait(false);
    }

    private static async Task RespondAsync(Stream stream, Uri url, CancellationToken stopping)
    {
        var query = HttpUtility.ParseQueryString(url.Query);
        var parts = url.AbsolutePath.Split('/');
        var first = parts.Length > 1 ? parts[1] : "";
        var second = parts.Length > 2 ? parts[2] : "";
        switch (first)
        {
            case "":
                await TextAsync(stream, 200, "ok: serverless monitor test server", stopping).ConfigureAwait(false);
                break;
            case "status":
                await TextAsync(stream, int.Parse(second, CultureInfo.InvariantCulture), $"status {second}", stopping).ConfigureAwait(false);
                break;
            case "delay":
                await AtLeastAsync(TimeSpan.FromMilliseconds(int.Parse(second, CultureInfo.InvariantCulture)), stopping).ConfigureAwait(false);
                await TextAsync(stream, 200, "delayed", stopping).ConfigureAwait(false);
                break;
            case "hang":
                break;
            case "redirect":
                var status = int.Parse(query["status"] ?? "302", CultureInfo.InvariantCulture);
                await TextAsync(stream, status, "moved", stopping, $"Location: {query["to"] ?? "/"}\r\n").ConfigureAwait(false);
                break;
            case "loop":
                await TextAsync(stream, 302, "again", stopping, "Location: /loop\r\n").ConfigureAwait(false);
                break;
            case "close":
                throw new IOException("closing before the answer, as asked");
            case "truncated":
                await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789", stopping).ConfigureAwait(false);
                throw new IOException("cutting the body, as asked");
            case "large":
                var filler = new string('a', int.Parse(query["kib"] ?? "1", CultureInfo.InvariantCulture) * 1024);
                await TextAsync(stream, 200, filler + (query["tail"] ?? ""), stopping).ConfigureAwait(false);
                break;
            case "text":
                await TextAsync(stream, 200, query["body"] ?? "", stopping).ConfigureAwait(false);
                break;
            default:
                await TextAsync(stream, 404, "not found", stopping).ConfigureAwait(false);
                break;
        }
    }

    private static Task TextAsync(Stream stream, int status, string body, CancellationToken stopping, string headers = "")
    {
        var bytes = Encoding.UTF8.GetByteCount(body);
        return WriteAsync(
            stream,
            $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: text/plain; charset=utf-8\r\nServer: test-server/1.0\r\n{headers}Content-Length: {bytes}\r\nConnection: close\r\n\r\n{body}",
            stopping);
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken stopping)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), stopping).ConfigureAwait(false);
        await stream.FlushAsync(stopping).ConfigureAwait(false);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    /// <summary>The request line and headers (the probe sends no body), or null when the client left first.</summary>
    private static async Task<string?> ReadHeadAsync(Stream stream, CancellationToken stopping)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), stopping).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            if (!char.IsAsciiLetterUpper((char)buffer[0]))
            {
                // Not HTTP (a TLS ClientHello on the plain port): answer as an HTTP server does, and close.
                await WriteAsync(stream, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", stopping).ConfigureAwait(false);
                return null;
            }

            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text;
            }
        }

        return null;
    }

    private static async Task DrainAsync(Stream stream, CancellationToken stopping)
    {
        var buffer = new byte[1024];
        while (await stream.ReadAsync(buffer, stopping).ConfigureAwait(false) > 0)
        {
        }
    }

    /// <summary>
    /// Waits at least <paramref name="delay"/> by the Stopwatch: Task.Delay alone can end up to a
    /// timer tick (4 ms here) early, and tests take the delay as a strict lower bound.
    /// </summary>
    private static async Task AtLeastAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        TimeSpan left;
        while ((left = delay - System.Diagnostics.Stopwatch.GetElapsedTime(started)) > TimeSpan.Zero)
        {
            await Task.Delay(left, cancellationToken).ConfigureAwait(false);
        }
    }
}
