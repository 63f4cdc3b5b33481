using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

public sealed class MailProbeTests : IAsyncLifetime
{
    private static readonly TestCertificates Certificates = TestCertificates.Instance;
    private readonly List<LineServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    private LineServer Track(LineServer server)
    {
        _servers.Add(server);
        return server;
    }

    private static Task<ProbeResult> Probe(ProbeType type, LineServer server, ProbeExpect? expect = null) =>
        ProbeAsync(type, $"localhost:{server.Port}", expect);

    [Fact]
    public async Task Smtp_upgrades_with_STARTTLS_when_offered_and_reports_the_greeting()
    {
        var smtp = Track(MailServers.Smtp(starttls: Certificates.Valid));
        var result = await Probe(ProbeType.Smtp, smtp);
        AssertOk(result);
        Assert.Equal(220, result.Status);
        Assert.Contains("mail.test ESMTP Test mail service", result.Server, StringComparison.Ordinal);
        Assert.True(result.Phases.Tls > result.Phases.Connect);
        Assert.True(result.Phases.FirstByte > result.Phases.Tls, "firstByte is the first byte over TLS, after the handshake");
        Assert.NotNull(result.Certificate);
        await EventuallyAsync(() => smtp.Lines.Contains("QUIT"), "QUIT");
        Assert.Equal(1, smtp.SecureSessions);
        Assert.Equal(["EHLO [127.0.0.1]", "STARTTLS", "EHLO [127.0.0.1]", "QUIT"], smtp.Lines);
    }

    [Fact]
    public async Task Smtp_passes_without_TLS_when_none_is_offered_and_tls_is_auto_but_fails_a_required_one()
    {
        var smtp = Track(MailServers.Smtp());
        var result = await Probe(ProbeType.Smtp, smtp);
        AssertOk(result);
        Assert.Null(result.Phases.Tls);
        var required = await Probe(ProbeType.Smtp, smtp, new ProbeExpect { Tls = MailTls.Starttls });
        AssertFailed(required, ErrorClass.Tls);
        Assert.Equal(220, required.Status);
        Assert.Contains("does not offer STARTTLS", required.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtp_fails_an_expired_STARTTLS_certificate_and_skips_TLS_when_off()
    {
        var smtp = Track(MailServers.Smtp(starttls: Certificates.Expired));
        AssertFailed(await Probe(ProbeType.Smtp, smtp), ErrorClass.Tls, "CERT_HAS_EXPIRED");
        var off = await Probe(ProbeType.Smtp, smtp, new ProbeExpect { Tls = MailTls.Off });
        AssertOk(off);
        Assert.Null(off.Phases.Tls);
    }

    [Fact]
    public async Task Smtp_speaks_TLS_from_the_first_byte_with_tls_implicit()
    {
        var smtp = Track(MailServers.Smtp(implicitTls: Certificates.Valid));
        var result = await Probe(ProbeType.Smtp, smtp, new ProbeExpect { Tls = MailTls.Implicit });
        AssertOk(result);
        Assert.Equal(220, result.Status);
        Assert.True(result.Phases.Tls > result.Phases.Connect);
        Assert.True(result.Phases.FirstByte > result.Phases.Tls);
    }

    [Fact]
    public async Task Smtp_checks_the_banner_and_fails_a_server_that_is_not_SMTP_with_class_protocol()
    {
        var smtp = Track(MailServers.Smtp());
        AssertOk(await Probe(ProbeType.Smtp, smtp, new ProbeExpect { Banner = "Test mail" }));
        AssertFailed(await Probe(ProbeType.Smtp, smtp, new ProbeExpect { Banner = "Postfix" }), ErrorClass.Content);
        var pop3 = Track(MailServers.Pop3());
        AssertFailed(await Probe(ProbeType.Smtp, pop3), ErrorClass.Protocol);
    }

    [Fact]
    public async Task Imap_passes_on_OK_and_upgrades_with_STARTTLS_when_offered()
    {
        var imap = Track(MailServers.Imap(starttls: Certificates.Valid));
        var result = await Probe(ProbeType.Imap, imap);
        AssertOk(result);
        Assert.Equal("* OK Test IMAP server ready", result.Server);
        Assert.True(result.Phases.Tls > result.Phases.Connect);
        Assert.True(result.Phases.FirstByte > result.Phases.Tls);
        await EventuallyAsync(() => imap.Lines.Count == 4, "LOGOUT");
        Assert.Equal(["a1 CAPABILITY", "a2 STARTTLS", "a3 CAPABILITY", "a4 LOGOUT"], imap.Lines);
    }

    [Fact]
    public async Task Imap_speaks_IMAPS()
    {
        var imap = Track(MailServers.Imap(implicitTls: Certificates.Valid));
        var result = await Probe(ProbeType.Imap, imap, new ProbeExpect { Tls = MailTls.Implicit });
        AssertOk(result);
        Assert.True(result.Phases.Tls > 0);
        Assert.Equal(1, imap.SecureSessions);
    }

    [Fact]
    public async Task Imap_fails_a_required_STARTTLS_the_server_lacks_and_a_BYE_greeting()
    {
        var plain = Track(MailServers.Imap());
        AssertFailed(await Probe(ProbeType.Imap, plain, new ProbeExpect { Tls = MailTls.Starttls }), ErrorClass.Tls);
        AssertOk(await Probe(ProbeType.Imap, plain));
        var busy = Track(MailServers.Imap(greeting: "* BYE Too many connections"));
        AssertFailed(await Probe(ProbeType.Imap, busy), ErrorClass.Status);
    }

    [Fact]
    public async Task Pop3_passes_on_OK_and_upgrades_with_STLS_when_offered()
    {
        var pop3 = Track(MailServers.Pop3(starttls: Certificates.Valid));
        var result = await Probe(ProbeType.Pop3, pop3);
        AssertOk(result);
        Assert.Equal("+OK Test POP3 server ready", result.Server);
        Assert.True(result.Phases.FirstByte > result.Phases.Tls);
        await EventuallyAsync(() => pop3.Lines.Count == 4, "QUIT");
        Assert.Equal(["CAPA", "STLS", "CAPA", "QUIT"], pop3.Lines);
    }

    [Fact]
    public async Task Pop3_speaks_POP3S_and_rejects_a_certificate_for_another_host()
    {
        var good = Track(MailServers.Pop3(implicitTls: Certificates.Valid));
        AssertOk(await Probe(ProbeType.Pop3, good, new ProbeExpect { Tls = MailTls.Implicit }));
        var wrong = Track(MailServers.Pop3(implicitTls: Certificates.WrongHost));
        AssertFailed(await Probe(ProbeType.Pop3, wrong, new ProbeExpect { Tls = MailTls.Implicit }), ErrorClass.Tls, "ERR_TLS_CERT_ALTNAME_INVALID");
    }

    [Fact]
    public async Task Pop3_fails_an_ERR_greeting_with_class_status_and_checks_the_banner()
    {
        var refusing = Track(MailServers.Pop3(greeting: "-ERR maintenance"));
        AssertFailed(await Probe(ProbeType.Pop3, refusing), ErrorClass.Status);
        var plain = Track(MailServers.Pop3());
        AssertOk(await Probe(ProbeType.Pop3, plain, new ProbeExpect { Banner = "POP3 server" }));
        AssertFailed(await Probe(ProbeType.Pop3, plain, new ProbeExpect { Banner = "Dovecot" }), ErrorClass.Content);
    }
}
