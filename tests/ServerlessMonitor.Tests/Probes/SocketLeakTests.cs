using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

[CollectionDefinition(nameof(SocketLeakTests), DisableParallelization = true)]
public sealed class SocketCountingCollection;

/// <summary>
/// Hundreds of probes with every kind of ending (pass, refused, TLS refused, timeout before and
/// after connecting, cut body, DNS silence, STARTTLS), then the process's open sockets must come
/// back to what they were: no more of the process's sockets are connected to a test server.
/// Sockets are told apart by their remote port (from /proc/net), so connections other parts of
/// the test process open meanwhile (storage clients' pools, say) are not counted.
/// </summary>
[Collection(nameof(SocketLeakTests))]
public sealed class SocketLeakTests
{
    private const int Rounds = 8;

    [Fact]
    public async Task Leaves_no_socket_open_after_many_probes_of_every_ending()
    {
        var certificates = TestCertificates.Instance;
        await using var http = new HttpTestServer();
        await using var https = new HttpTestServer(certificates.Valid);
        await using var expired = new HttpTestServer(certificates.Expired);
        await using var smtp = MailServers.Smtp(starttls: certificates.Valid);
        await using var silent = BannerServers.Silent();
        await using var dns = new DnsTestServer(new Dictionary<string, object>
        {
            ["web.test"] = new[] { DnsRecord.A("127.0.0.1") },
            ["silent.test"] = DnsTestServer.Drop,
        });
        using var refusing = ClosedPorts.RefusingTcp(out var refusedPort);
        using var unresponsive = ClosedPorts.Unresponsive();
        var prober = Prober(nameServer: dns.Endpoint);
        var fast = TimeSpan.FromMilliseconds(250);
        ProbeSpec[] specs =
        [
            new(ProbeType.Http, $"http://web.test:{http.Port}/"),
            new(ProbeType.Https, $"https://localhost:{https.Port}/"),
            new(ProbeType.Https, $"https://localhost:{expired.Port}/"),
            new(ProbeType.Http, $"{http.Url}/truncated"),
            new(ProbeType.Http, $"{http.Url}/close"),
            new(ProbeType.Http, $"{http.Url}/hang") { Timeout = fast },
            new(ProbeType.Tcp, $"127.0.0.1:{refusedPort}"),
            new(ProbeType.Tcp, $"127.0.0.1:{unresponsive.Port}") { Timeout = fast },
            new(ProbeType.Http, $"http://silent.test:{http.Port}/") { Timeout = fast },
            new(ProbeType.Smtp, $"localhost:{smtp.Port}"),
            new(ProbeType.Ftp, $"127.0.0.1:{silent.Port}") { Timeout = fast },
            new(ProbeType.Dns, "web.test", new ProbeExpect { Server = $"127.0.0.1:{dns.Endpoint.Port}" }),
        ];

        // The servers close their side when the probe closes its own, so "no session open" means
        // every probe socket is closed; the count of the process's sockets then checks the rest.
        bool ServersIdle() => http.OpenSessions + https.OpenSessions + expired.OpenSessions + smtp.OpenSessions + silent.OpenSessions == 0;
        string OpenSessions() => $"still open: http {http.OpenSessions}, https {https.OpenSessions}, expired {expired.OpenSessions}, smtp {smtp.OpenSessions}, silent {silent.OpenSessions}";

        int[] ports = [http.Port, https.Port, expired.Port, smtp.Port, silent.Port, dns.Endpoint.Port, refusedPort, unresponsive.Port];
        Assert.True(Sockets(ports).Listening > 0, "the servers' own sockets are seen, so the count works");

        // One round first, so sockets a resolver keeps for reuse across probes are in the baseline.
        await Task.WhenAll(specs.Select(spec => prober.ProbeAsync(spec)));
        await EventuallyAsync(ServersIdle, "the servers to see every probe connection closed", OpenSessions);
        var baseline = Sockets(ports).ToServers;
        var endings = new HashSet<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 5).SelectMany(_ => specs).Select(spec => prober.ProbeAsync(spec)));
            endings.UnionWith(results.Select(result => result.Error?.Class.ToString() ?? "ok"));
        }

        Assert.Superset(new HashSet<string> { "ok", "Connect", "Tls", "Timeout", "Protocol" }, endings);
        await EventuallyAsync(ServersIdle, "the servers to see every probe connection closed", OpenSessions);
        Assert.Equal(baseline, Sockets(ports).ToServers);
    }

    /// <summary>
    /// The process's sockets whose local port is one of <paramref name="ports"/> (the servers'
    /// own) and those connected to one of them (the probes').
    /// </summary>
    private static (int Listening, int ToServers) Sockets(IReadOnlyCollection<int> ports)
    {
        var mine = new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Select(fd =>
            {
                try
                {
                    return fd.LinkTarget;
                }
                catch (IOException)
                {
                    return null;
                }
            })
            .Where(target => target?.StartsWith("socket:[", StringComparison.Ordinal) == true)
            .Select(target => target!["socket:[".Length..^1])
            .ToHashSet(StringComparer.Ordinal);
        var (listening, toServers) = (0, 0);
        foreach (var table in new[] { "tcp", "tcp6", "udp", "udp6" })
        {
            foreach (var line in File.ReadLines($"/proc/self/net/{table}").Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (!mine.Contains(columns[9]))
                {
                    continue;
                }

                listening += ports.Contains(PortOf(columns[1])) ? 1 : 0;
                toServers += ports.Contains(PortOf(columns[2])) ? 1 : 0;
            }
        }

        return (listening, toServers);
    }

    private static int PortOf(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
}
