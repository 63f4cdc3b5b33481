using System.Net;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

public sealed class DnsProbeTests : IAsyncLifetime
{
    private DnsTestServer _dns = null!;

    public Task InitializeAsync()
    {
        _dns = new DnsTestServer(new Dictionary<string, object>
        {
            ["example.test"] = new[]
            {
                DnsRecord.A("192.0.2.10"),
                DnsRecord.A("192.0.2.11"),
                DnsRecord.Aaaa("2001:db8::10"),
                DnsRecord.Mx(10, "mail.example.test"),
                DnsRecord.Txt("v=spf1 ", "-all"),
                DnsRecord.Txt("google-site-verification=abc"),
                DnsRecord.Ns("ns1.example.test"),
                DnsRecord.Soa("ns1.example.test", "hostmaster.example.test", 2026112201, 3600, 600, 86400, 300),
                DnsRecord.Caa(0, "issue", "letsencrypt.org"),
            },
            ["www.example.test"] = new[] { DnsRecord.Cname("example.test") },
            ["_sip._tcp.example.test"] = new[] { DnsRecord.Srv(10, 5, 5060, "sip.example.test") },
            ["10.2.0.192.in-addr.arpa"] = new[] { DnsRecord.Ptr("host10.example.test") },
            ["inside.test"] = new[] { DnsRecord.A("10.0.0.7") },
            ["metadata.test"] = new[] { DnsRecord.A("169.254.169.254") },
            ["broken.test"] = DnsTestServer.ServFail,
            ["silent.test"] = DnsTestServer.Drop,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private Task<ProbeResult> Query(string name, ProbeExpect? expect = null, int timeoutMs = 5000, ProbeOptions? options = null) =>
        ProbeAsync(ProbeType.Dns, name, (expect ?? new ProbeExpect()) with { Server = $"127.0.0.1:{_dns.Endpoint.Port}" }, timeoutMs, options);

    [Fact]
    public async Task Resolves_A_records_by_default_and_reports_answers_server_and_the_dns_phase()
    {
        var result = await Query("example.test");
        AssertOk(result);
        Assert.Equal(["192.0.2.10", "192.0.2.11"], result.Answers);
        Assert.Equal("127.0.0.1", result.RemoteAddress);
        Assert.True(result.Phases.Dns > 0);
        Assert.Null(result.Phases.Connect);
    }

    [Theory]
    [InlineData("AAAA", "example.test", "2001:db8::10")]
    [InlineData("MX", "example.test", "10 mail.example.test")]
    [InlineData("TXT", "example.test", "v=spf1 -all|google-site-verification=abc")]
    [InlineData("NS", "example.test", "ns1.example.test")]
    [InlineData("SOA", "example.test", "ns1.example.test hostmaster.example.test 2026112201 3600 600 86400 300")]
    [InlineData("CAA", "example.test", "0 issue \"letsencrypt.org\"")]
    [InlineData("CNAME", "www.example.test", "example.test")]
    [InlineData("SRV", "_sip._tcp.example.test", "10 5 5060 sip.example.test")]
    [InlineData("PTR", "192.0.2.10", "host10.example.test")]
    public async Task Answers_each_record_type_as_dig_prints_it(string recordType, string name, string answers)
    {
        var result = await Query(name, new ProbeExpect { RecordType = recordType });
        AssertOk(result);
        Assert.Equal(answers.Split('|'), result.Answers);
    }

    [Fact]
    public async Task Checks_the_expected_value_case_insensitively()
    {
        AssertOk(await Query("example.test", new ProbeExpect { RecordType = "MX", Value = "MAIL.example.test" }));
        var wrong = await Query("example.test", new ProbeExpect { Value = "192.0.2.99" });
        AssertFailed(wrong, ErrorClass.Content);
        Assert.Equal(["192.0.2.10", "192.0.2.11"], wrong.Answers);
    }

    [Fact]
    public async Task Fails_NXDOMAIN_with_ENOTFOUND_and_a_missing_type_with_ENODATA()
    {
        AssertFailed(await Query("nope.test"), ErrorClass.Dns, "ENOTFOUND");
        AssertFailed(await Query("www.example.test", new ProbeExpect { RecordType = "MX" }), ErrorClass.Dns, "ENODATA");
    }

    [Fact]
    public async Task Treats_the_monitors_own_server_failing_as_the_target_failing()
    {
        var servfail = await Query("broken.test");
        AssertFailed(servfail, ErrorClass.Dns);
        Assert.Null(servfail.Error!.Code);
        // DnsClient's UDP sockets are not connected, so a closed port (ICMP port unreachable) reads as silence.
        using var closed = ClosedPorts.RefusingUdp(out var port);
        var down = await ProbeAsync(ProbeType.Dns, "example.test", new ProbeExpect { Server = $"127.0.0.1:{port}" }, 300);
        AssertFailed(down, ErrorClass.Timeout);
        Assert.Null(down.Error!.Code);
        var silent = await Query("silent.test", timeoutMs: 300);
        AssertFailed(silent, ErrorClass.Timeout);
        Assert.All(new[] { servfail, down, silent }, result => Assert.False(result.Error!.IsLocalFault));
    }

    [Fact]
    public async Task Treats_our_own_resolver_failing_as_our_fault()
    {
        var servfail = await ProbeAsync(ProbeType.Dns, "broken.test", nameServer: _dns.Endpoint);
        AssertFailed(servfail, ErrorClass.Dns, "ESERVFAIL");
        Assert.True(servfail.Error!.IsLocalFault);
        using var closed = ClosedPorts.RefusingUdp(out var port);
        var down = await ProbeAsync(ProbeType.Dns, "example.test", timeoutMs: 300, nameServer: new IPEndPoint(IPAddress.Loopback, port));
        AssertFailed(down, ErrorClass.Timeout, "ETIMEDOUT");
        Assert.True(down.Error!.IsLocalFault);
    }

    [Fact]
    public async Task Blocks_a_server_outside_the_policy()
    {
        AssertFailed(await ProbeAsync(ProbeType.Dns, "example.test", new ProbeExpect { Server = "169.254.169.254" }, 2000), ErrorClass.Blocked);
        AssertFailed(await Query("example.test", options: Strict), ErrorClass.Blocked);
        AssertFailed(await ProbeAsync(ProbeType.Dns, "example.test", new ProbeExpect { Server = "[::ffff:a00:1]:53" }, options: Strict), ErrorClass.Blocked);
    }

    [Fact]
    public async Task Blocks_names_that_map_the_inside_which_the_TypeScript_engine_let_through()
    {
        var strict = ProbeHarness.Prober(Strict, _dns.Endpoint);
        async Task<ProbeResult> Ask(string name, string? type = null) =>
            await strict.ProbeAsync(new ProbeSpec(ProbeType.Dns, name, new ProbeExpect { RecordType = type }));

        var inside = await Ask("inside.test");
        AssertFailed(inside, ErrorClass.Blocked);
        Assert.Null(inside.Answers);
        AssertFailed(await Ask("localhost"), ErrorClass.Blocked);
        AssertFailed(await Ask("10.0.0.7", "PTR"), ErrorClass.Blocked);
        AssertFailed(await Ask("7.0.0.10.in-addr.arpa", "PTR"), ErrorClass.Blocked);
        AssertFailed(await ProbeAsync(ProbeType.Dns, "metadata.test", nameServer: _dns.Endpoint), ErrorClass.Blocked);
    }
}
