using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>
/// dns ≤ connect ≤ tls ≤ firstByte ≤ total, whatever the type, the server's behaviour and the
/// outcome: drawn at random over the loopback servers, passing and failing alike.
/// </summary>
public sealed class PhaseOrderProperties : IAsyncLifetime
{
    private static readonly TestCertificates Certificates = TestCertificates.Instance;
    private readonly List<IAsyncDisposable> _servers = [];
    private HttpTestServer _http = null!;
    private HttpTestServer _https = null!;
    private DnsTestServer _dns = null!;
    private Dictionary<ProbeType, LineServer[]> _lineServers = null!;

    public Task InitializeAsync()
    {
        _http = Track(new HttpTestServer());
        _https = Track(new HttpTestServer(Certificates.Valid));
        _dns = Track(new DnsTestServer(new Dictionary<string, object>
        {
            ["web.test"] = new[] { DnsRecord.A("127.0.0.1"), DnsRecord.Mx(10, "mail.web.test") },
            ["broken.test"] = DnsTestServer.ServFail,
        }));
        _lineServers = new()
        {
            [ProbeType.Ftp] = [Track(BannerServers.Ftp()), Track(BannerServers.Ftp("421 busy")), Track(BannerServers.Silent())],
            [ProbeType.Ssh] = [Track(BannerServers.Ssh()), Track(BannerServers.Ssh("SSH-1.5-Old"))],
            [ProbeType.Telnet] = [Track(BannerServers.Telnet("Router")), Track(BannerServers.Telnet())],
            [ProbeType.Tcp] = [Track(BannerServers.Echo()), Track(BannerServers.OneLiner("HELLO"))],
            [ProbeType.Ping] = [Track(BannerServers.Echo())],
            [ProbeType.Smtp] = [Track(MailServers.Smtp(starttls: Certificates.Valid)), Track(MailServers.Smtp(implicitTls: Certificates.Valid)), Track(MailServers.Smtp(starttls: Certificates.Expired))],
            [ProbeType.Imap] = [Track(MailServers.Imap(starttls: Certificates.Valid)), Track(MailServers.Imap(implicitTls: Certificates.Valid)), Track(MailServers.Imap())],
            [ProbeType.Pop3] = [Track(MailServers.Pop3(starttls: Certificates.Valid)), Track(MailServers.Pop3(implicitTls: Certificates.WrongHost)), Track(MailServers.Pop3())],
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    private T Track<T>(T server)
        where T : IAsyncDisposable
    {
        _servers.Add(server);
        return server;
    }

    [Property(MaxTest = 40)]
    public Property Http_and_https_phases_are_ordered()
    {
        var paths = Gen.Elements("/", "/status/500", "/close", "/truncated", "/redirect?to=/text%3Fbody%3Dx", "/hang")
            .Zip(Gen.Choose(0, 20), (path, delay) => path == "/" ? $"/delay/{delay}" : path);
        var specs =
            from path in paths
            from secure in Gen.Elements(false, true)
            from named in Gen.Elements(false, true)
            select HttpSpec(path, secure, named);
        return Prop.ForAll(specs.ToArbitrary(), Ordered);
    }

    [Property(MaxTest = 60)]
    public Property Every_other_type_has_ordered_phases()
    {
        var specs = Gen.Elements(_lineServers.Keys.ToArray()).SelectMany(type => Gen.Elements(_lineServers[type]).Zip(
            Gen.Elements<MailTls?>(null, MailTls.Auto, MailTls.Implicit, MailTls.Off),
            (server, tls) => new ProbeSpec(type, $"localhost:{server.Port}", Expect(type, tls)) { Timeout = TimeSpan.FromMilliseconds(400) }));
        var dns = Gen.Elements("web.test", "broken.test", "nope.test").Zip(Gen.Elements("A", "MX"), (name, type) =>
            new ProbeSpec(ProbeType.Dns, name, new ProbeExpect { RecordType = type, Server = $"127.0.0.1:{_dns.Endpoint.Port}" }));
        return Prop.ForAll(Gen.OneOf(specs, dns).ToArbitrary(), Ordered);
    }

    private ProbeSpec HttpSpec(string path, bool secure, bool named)
    {
        var server = secure ? _https : _http;
        var host = named ? (secure ? "localhost" : "web.test") : "127.0.0.1";
        return new ProbeSpec(secure ? ProbeType.Https : ProbeType.Http, $"{(secure ? "https" : "http")}://{host}:{server.Port}{path}") { Timeout = TimeSpan.FromMilliseconds(300) };
    }

    private static ProbeExpect Expect(ProbeType type, MailTls? tls) => type switch
    {
        ProbeType.Smtp or ProbeType.Imap or ProbeType.Pop3 => new ProbeExpect { Tls = tls },
        ProbeType.Tcp => new ProbeExpect { Send = "PING", Receive = "echo" },
        ProbeType.Telnet => new ProbeExpect { Banner = "Router" },
        _ => ProbeExpect.None,
    };

    private bool Ordered(ProbeSpec spec)
    {
        var result = Prober(nameServer: _dns.Endpoint).ProbeAsync(spec).GetAwaiter().GetResult();
        AssertPhaseOrder(result);
        return true;
    }
}
