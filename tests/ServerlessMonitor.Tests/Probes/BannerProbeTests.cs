using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

public sealed class BannerProbeTests : IAsyncLifetime
{
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

    [Fact]
    public async Task Ftp_passes_on_a_multi_line_220_greeting_reports_it_and_says_QUIT()
    {
        var ftp = Track(BannerServers.Ftp());
        var result = await ProbeAsync(ProbeType.Ftp, $"127.0.0.1:{ftp.Port}");
        AssertOk(result);
        Assert.Equal(220, result.Status);
        Assert.Equal("Welcome to the test FTP service Test FTP server ready", result.Server);
        Assert.True(result.Phases.FirstByte > result.Phases.Connect);
        await EventuallyAsync(() => ftp.Lines.Contains("QUIT"), "QUIT");
    }

    [Fact]
    public async Task Ftp_fails_a_421_greeting_with_class_status_and_checks_the_banner()
    {
        var busy = Track(BannerServers.Ftp("421 Too many users, try later"));
        var result = await ProbeAsync(ProbeType.Ftp, $"127.0.0.1:{busy.Port}");
        AssertFailed(result, ErrorClass.Status);
        Assert.Equal(421, result.Status);
        var ftp = Track(BannerServers.Ftp());
        AssertOk(await ProbeAsync(ProbeType.Ftp, $"127.0.0.1:{ftp.Port}", new ProbeExpect { Banner = "Test FTP" }));
        AssertFailed(await ProbeAsync(ProbeType.Ftp, $"127.0.0.1:{ftp.Port}", new ProbeExpect { Banner = "vsFTPd" }), ErrorClass.Content);
    }

    [Fact]
    public async Task Ftp_fails_with_class_protocol_on_a_server_that_is_not_FTP_and_times_out_on_a_silent_one()
    {
        var ssh = Track(BannerServers.Ssh());
        AssertFailed(await ProbeAsync(ProbeType.Ftp, $"127.0.0.1:{ssh.Port}"), ErrorClass.Protocol);
        var silent = Track(BannerServers.Silent());
        var result = await ProbeAsync(ProbeType.Ftp, $"127.0.0.1:{silent.Port}", timeoutMs: 500);
        AssertFailed(result, ErrorClass.Timeout);
        Assert.Null(result.Error!.Code);
        Assert.Contains("the FTP greeting", result.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(result.Phases.Connect);
    }

    [Fact]
    public async Task Ssh_reads_the_identification_and_reports_the_software()
    {
        var ssh = Track(BannerServers.Ssh());
        var result = await ProbeAsync(ProbeType.Ssh, $"localhost:{ssh.Port}");
        AssertOk(result);
        Assert.Equal("OpenSSH_9.2p1 Debian-2+deb12u3", result.Server);
        Assert.Null(result.Status);
        await EventuallyAsync(() => ssh.Lines.Any(line => line.StartsWith("SSH-2.0-ServerlessMonitor_", StringComparison.Ordinal)), "our identification");
    }

    [Fact]
    public async Task Ssh_skips_lines_before_the_identification_and_accepts_SSH_1_99()
    {
        var ssh = Track(BannerServers.Ssh("SSH-1.99-Cisco-1.25", "Welcome", "Authorized use only"));
        var result = await ProbeAsync(ProbeType.Ssh, $"localhost:{ssh.Port}", new ProbeExpect { Banner = "Cisco" });
        AssertOk(result);
        Assert.Equal("Cisco-1.25", result.Server);
    }

    [Fact]
    public async Task Ssh_fails_protocol_1_and_non_SSH_servers_with_class_protocol()
    {
        var old = Track(BannerServers.Ssh("SSH-1.5-OldServer"));
        AssertFailed(await ProbeAsync(ProbeType.Ssh, $"localhost:{old.Port}"), ErrorClass.Protocol);
        var ftp = Track(BannerServers.Ftp());
        var result = await ProbeAsync(ProbeType.Ssh, $"localhost:{ftp.Port}", timeoutMs: 500);
        AssertFailed(result, ErrorClass.Protocol);
        Assert.Contains("Test FTP server ready", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telnet_passes_when_the_port_accepts()
    {
        var telnet = Track(BannerServers.Telnet());
        var result = await ProbeAsync(ProbeType.Telnet, $"127.0.0.1:{telnet.Port}");
        AssertOk(result);
        Assert.Null(result.Phases.FirstByte);
    }

    [Fact]
    public async Task Telnet_refuses_every_option_and_matches_the_banner_that_follows()
    {
        var telnet = Track(BannerServers.Telnet("Router R1 (authorized access only)"));
        var result = await ProbeAsync(ProbeType.Telnet, $"127.0.0.1:{telnet.Port}", new ProbeExpect { Banner = "Router R1" });
        AssertOk(result);
        Assert.Contains("Router R1", result.Server, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', result.Server!);
        // IAC DONT ECHO, IAC WONT TERMINAL-TYPE, IAC DONT SUPPRESS-GO-AHEAD.
        Assert.Equal(new byte[] { 255, 254, 1, 255, 252, 24, 255, 254, 3 }, telnet.Bytes.ToArray());
    }

    [Fact]
    public async Task Telnet_reports_a_banner_that_does_not_match_as_class_content()
    {
        var telnet = Track(BannerServers.Telnet("Welcome", closeAfterBanner: true));
        var result = await ProbeAsync(ProbeType.Telnet, $"127.0.0.1:{telnet.Port}", new ProbeExpect { Banner = "Router R1" });
        AssertFailed(result, ErrorClass.Content);
        Assert.Contains("Welcome", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_passes_when_the_port_accepts_and_needs_a_port()
    {
        var echo = Track(BannerServers.Echo());
        var result = await ProbeAsync(ProbeType.Tcp, $"127.0.0.1:{echo.Port}");
        AssertOk(result);
        Assert.Equal("127.0.0.1", result.RemoteAddress);
        Assert.True(result.Phases.Connect > 0);
        var noPort = await ProbeAsync(ProbeType.Tcp, "127.0.0.1");
        AssertFailed(noPort, ErrorClass.Protocol);
        Assert.Contains("port", noPort.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_sends_expect_send_and_waits_for_expect_receive()
    {
        var echo = Track(BannerServers.Echo());
        var result = await ProbeAsync(ProbeType.Tcp, $"127.0.0.1:{echo.Port}", new ProbeExpect { Send = "PING\r\n", Receive = "echo: PING" });
        AssertOk(result);
        Assert.True(result.Phases.FirstByte > result.Phases.Connect);
        var oneLiner = Track(BannerServers.OneLiner("HELLO"));
        var wrong = await ProbeAsync(ProbeType.Tcp, $"127.0.0.1:{oneLiner.Port}", new ProbeExpect { Receive = "PONG" });
        AssertFailed(wrong, ErrorClass.Content);
        Assert.Contains("HELLO", wrong.Error!.Message, StringComparison.Ordinal);
        var silent = Track(BannerServers.Silent());
        AssertFailed(await ProbeAsync(ProbeType.Tcp, $"127.0.0.1:{silent.Port}", new ProbeExpect { Receive = "PONG" }, 300), ErrorClass.Timeout);
    }

    [Fact]
    public async Task Tcp_fails_a_refused_port_with_class_connect_and_parses_IPv6_brackets()
    {
        using var refusing = ClosedPorts.RefusingTcp(out var port);
        AssertFailed(await ProbeAsync(ProbeType.Tcp, $"127.0.0.1:{port}"), ErrorClass.Connect, "ECONNREFUSED");
        var v6 = await ProbeAsync(ProbeType.Tcp, $"[::1]:{port}");
        AssertFailed(v6, ErrorClass.Connect);
        Assert.Equal("::1", v6.RemoteAddress);
    }

    [Fact]
    public async Task Tcp_times_out_with_ETIMEDOUT_when_the_connection_is_never_established()
    {
        using var silent = ClosedPorts.Unresponsive();
        AssertFailed(await ProbeAsync(ProbeType.Tcp, $"127.0.0.1:{silent.Port}", timeoutMs: 300), ErrorClass.Timeout, "ETIMEDOUT");
    }

    [Fact]
    public async Task Ping_passes_when_the_given_port_accepts_and_fails_when_it_refuses()
    {
        var echo = Track(BannerServers.Echo());
        var result = await ProbeAsync(ProbeType.Ping, $"localhost:{echo.Port}");
        AssertOk(result);
        Assert.Equal("127.0.0.1", result.RemoteAddress);
        Assert.True(result.Phases.Connect > 0);
        Assert.Null(result.Phases.FirstByte);
        using var refusing = ClosedPorts.RefusingTcp(out var port);
        AssertFailed(await ProbeAsync(ProbeType.Ping, $"localhost:{port}"), ErrorClass.Connect, "ECONNREFUSED");
    }

    [Fact]
    public async Task Ping_is_blocked_for_loopback_when_private_targets_are_not_allowed()
    {
        AssertFailed(await ProbeAsync(ProbeType.Ping, "localhost", options: Strict), ErrorClass.Blocked);
    }
}
