using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Probes;

public sealed class ProbeTargetTests
{
    [Theory]
    [InlineData(ProbeType.Ssh, "example.com", "example.com", 22, false)]
    [InlineData(ProbeType.Smtp, "Mail.Example.com:587", "mail.example.com", 587, true)]
    [InlineData(ProbeType.Ping, "example.com", "example.com", 443, false)]
    [InlineData(ProbeType.Ftp, "[2001:db8::1]:2121", "2001:db8::1", 2121, true)]
    [InlineData(ProbeType.Telnet, "::1", "::1", 23, false)]
    [InlineData(ProbeType.Tcp, "db.example.com:5432", "db.example.com", 5432, true)]
    [InlineData(ProbeType.Imap, "bücher.example", "xn--bcher-kva.example", 143, false)]
    [InlineData(ProbeType.Pop3, "_pop._tcp.example.com", "_pop._tcp.example.com", 110, false)]
    public void Reads_host_and_port_targets_with_the_types_default_port(ProbeType type, string text, string host, int port, bool portGiven)
    {
        Assert.True(ProbeTarget.TryParse(type, text, out var target, out var error), error);
        Assert.Equal(new ProbeTarget.HostPort(host, port, portGiven), target);
    }

    [Theory]
    [InlineData(ProbeType.Tcp, "example.com", "a port is needed")]
    [InlineData(ProbeType.Tcp, "example.com:0", "the port must be 1 to 65535")]
    [InlineData(ProbeType.Tcp, "example.com:99999", "the port must be 1 to 65535")]
    [InlineData(ProbeType.Ssh, "fe80::1%eth0", "zone ids")]
    [InlineData(ProbeType.Ssh, "exa mple.com", "spaces")]
    [InlineData(ProbeType.Ssh, "-bad-.example", "not a valid host name")]
    [InlineData(ProbeType.Http, "https://example.com/", "needs the monitor type https")]
    [InlineData(ProbeType.Https, "ftp://example.com/", "expected an http:// or https:// URL")]
    [InlineData(ProbeType.Https, "https://user:pw@example.com/", "credentials")]
    [InlineData(ProbeType.Https, "example.com", "expected a URL")]
    [InlineData(ProbeType.Dns, "exa$mple.com", "not a valid domain name")]
    public void Explains_what_is_wrong_with_a_target(ProbeType type, string text, string reason)
    {
        Assert.False(ProbeTarget.TryParse(type, text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_URLs_without_their_fragment_and_with_the_effective_port()
    {
        Assert.True(ProbeTarget.TryParse(ProbeType.Https, "https://Example.com/health?x=1#top", out var target, out _));
        var url = Assert.IsType<ProbeTarget.Url>(target);
        Assert.Equal("example.com", url.Host);
        Assert.Equal(443, url.Port);
        Assert.Equal("https://example.com/health?x=1", url.Uri.AbsoluteUri);
        Assert.True(ProbeTarget.TryParse(ProbeType.Http, "http://[::1]:8080/", out var v6, out _));
        Assert.Equal("::1", ((ProbeTarget.Url)v6!).Host);
        Assert.True(ProbeTarget.TryParse(ProbeType.Http, "http://2130706433/", out var numeric, out _));
        Assert.Equal("127.0.0.1", ((ProbeTarget.Url)numeric!).Host);
    }

    [Theory]
    [InlineData("1.1.1.1", "1.1.1.1:53")]
    [InlineData("1.1.1.1:5353", "1.1.1.1:5353")]
    [InlineData("2606:4700::1111", "[2606:4700::1111]:53")]
    [InlineData("[2606:4700::1111]:5353", "[2606:4700::1111]:5353")]
    public void Reads_dns_server_addresses(string text, string endpoint)
    {
        Assert.Equal(endpoint, DnsServerAddress.Parse(text)?.ToString());
    }

    [Theory]
    [InlineData("dns.example.com")]
    [InlineData("1.1.1.1:99999")]
    [InlineData("fe80::1%eth0")]
    public void Refuses_dns_servers_that_are_not_addresses(string text)
    {
        Assert.Null(DnsServerAddress.Parse(text));
    }
}
