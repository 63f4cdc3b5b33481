using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Cli;

/// <summary>
/// Runs throw-away probes against loopback servers of its own before the real probe, so the
/// real probe's clock never times the runtime's first steps (JIT compilation, loading OpenSSL,
/// the TLS and certificate-chain code, DnsClient, HttpClient): a process's first probe is then
/// as accurate as any later one. HTTPS, HTTP with a name resolved by DnsClient, a banner
/// conversation and a DNS query cover the paths every type shares.
/// </summary>
internal static class Warmup
{
    private static readonly byte[] HttpAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray();
    private static readonly byte[] Greeting = "220 warm-up\r\n"u8.ToArray();

    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var certificate = SelfSignedLoopbackCertificate();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var web = Listen();
        using var banner = Listen();
        using var resolver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        resolver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var servers = Task.WhenAll(
            AcceptAsync(web, socket => ServeHttpAsync(socket, certificate, stop.Token), stop.Token),
            AcceptAsync(banner, socket => GreetAsync(socket, stop.Token), stop.Token),
            AnswerDnsAsync(resolver, stop.Token));

        var network = new ProbeNetwork(new ProbeResolverOptions { NameServers = [(IPEndPoint)resolver.LocalEndPoint!] });
        var options = new ProbeOptions { AllowPrivateTargets = true, ExtraTrustedRoots = [X509CertificateLoader.LoadCertificate(certificate.RawData)] };
        var prober = new Prober(network, options, TimeProvider.System);
        var webPort = ((IPEndPoint)web.LocalEndPoint!).Port;
        var bannerPort = ((IPEndPoint)banner.LocalEndPoint!).Port;
        ProbeSpec[] specs =
        [
            new(ProbeType.Https, $"https://127.0.0.1:{webPort}/"),
            new(ProbeType.Http, $"http://warm-up.test:{webPort}/"),
            new(ProbeType.Ftp, $"127.0.0.1:{bannerPort}"),
            new(ProbeType.Dns, "warm-up.test"),
        ];
        for (var round = 0; round < 2; round++)
        {
            foreach (var spec in specs)
            {
                await prober.ProbeAsync(spec with { Timeout = TimeSpan.FromSeconds(5) }, cancellationToken);
            }
        }

        await stop.CancelAsync();
        web.Dispose();
        banner.Dispose();
        resolver.Dispose();
        await servers;
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        return listener;
    }

    private static async Task AcceptAsync(Socket listener, Func<Socket, Task> serve, CancellationToken stop)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (socket)
            {
                try
                {
                    await serve(socket);
                }
                catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                {
                    // A warm-up conversation that ends badly still warmed what it ran.
                }
            }
        }
    }

    /// <summary>HTTPS when the client opens with a TLS handshake record, plain HTTP otherwise.</summary>
    private static async Task ServeHttpAsync(Socket socket, X509Certificate2 certificate, CancellationToken stop)
    {
        var first = new byte[1];
        await socket.ReceiveAsync(first, SocketFlags.Peek, stop);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (first[0] == 0x16)
        {
            var secure = new SslStream(stream);
            await secure.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stop);
            stream = secure;
        }

        await using (stream)
        {
            // One read takes the whole request: a probe sends it in one write, and its content does not matter here.
            _ = await stream.ReadAsync(new byte[4096], stop);
            await stream.WriteAsync(HttpAnswer, stop);
        }
    }

    private static async Task GreetAsync(Socket socket, CancellationToken stop)
    {
        await socket.SendAsync(Greeting, stop);
        while (await socket.ReceiveAsync(new byte[512], stop) > 0)
        {
        }
    }

    /// <summary>Answers every A question with 127.0.0.1, anything else with NXDOMAIN.</summary>
    private static async Task AnswerDnsAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[512];
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var query = buffer.AsSpan(0, received.ReceivedBytes);
            var typeA = query[^4] == 0 && query[^3] == 1;
            byte[] answer = typeA
                ? [.. query[..2], 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, .. query[12..], 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 127, 0, 0, 1]
                : [.. query[..2], 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0, .. query[12..]];
            await socket.SendToAsync(answer, received.RemoteEndPoint, stop);
        }
    }

    private static X509Certificate2 SelfSignedLoopbackCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
