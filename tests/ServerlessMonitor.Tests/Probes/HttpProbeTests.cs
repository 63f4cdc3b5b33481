using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

public sealed class HttpProbeTests : IAsyncLifetime
{
    private HttpTestServer _server = null!;
    private DnsTestServer _dns = null!;

    public Task InitializeAsync()
    {
        _server = new HttpTestServer();
        _dns = new DnsTestServer(new Dictionary<string, object>
        {
            ["web.test"] = new[] { DnsRecord.A("127.0.0.1") },
            ["metadata.test"] = new[] { DnsRecord.A("169.254.169.254") },
            ["internal.test"] = new[] { DnsRecord.A("10.1.2.3") },
            ["v6only.test"] = new[] { DnsRecord.Aaaa("::1") },
            ["silent.test"] = DnsTestServer.Drop,
            ["broken.test"] = DnsTestServer.ServFail,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _dns.DisposeAsync();
    }

    private Task<ProbeResult> Get(string path, ProbeExpect? expect = null, int timeoutMs = 5000, ProbeOptions? options = null) =>
        ProbeAsync(ProbeType.Http, _server.Url + path, expect, timeoutMs, options, _dns.Endpoint);

    [Fact]
    public async Task Passes_on_200_and_reports_status_address_server_and_cumulative_phases()
    {
        var result = await Get("/");
        AssertOk(result);
        Assert.Equal(200, result.Status);
        Assert.Equal("127.0.0.1", result.RemoteAddress);
        Assert.Equal("test-server/1.0", result.Server);
        Assert.Null(result.Phases.Dns);
        Assert.Null(result.Phases.Tls);
        Assert.True(result.Phases.Connect > 0);
        Assert.True(result.Phases.FirstByte > result.Phases.Connect);
        Assert.True(result.Phases.Total >= result.Phases.FirstByte);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(150)]
    public async Task Times_the_first_byte_after_the_servers_injected_delay(int delay)
    {
        var result = await Get($"/delay/{delay}");
        AssertOk(result);
        // A lower bound only: the server cannot answer before its delay (it waits by the Stopwatch), however slow the machine.
        Assert.True(result.Phases.FirstByte - result.Phases.Connect >= delay, $"{result.Phases}");
    }

    [Fact]
    public async Task Resolves_names_through_the_configured_resolver_and_reports_the_dns_phase()
    {
        var result = await ProbeAsync(ProbeType.Http, $"http://web.test:{_server.Port}/", nameServer: _dns.Endpoint);
        AssertOk(result);
        Assert.Equal("127.0.0.1", result.RemoteAddress);
        Assert.True(result.Phases.Dns > 0);
        Assert.True(result.Phases.Connect > result.Phases.Dns);
        Assert.Contains("web.test A", _dns.Queries);
    }

    [Fact]
    public async Task Asks_for_AAAA_only_when_a_name_has_no_A_record()
    {
        var result = await ProbeAsync(ProbeType.Http, $"http://v6only.test:{_server.Port}/", nameServer: _dns.Endpoint);
        Assert.Equal("::1", result.RemoteAddress);
        Assert.Contains("v6only.test AAAA", _dns.Queries);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Fails_4xx_and_5xx_with_class_status(int status)
    {
        var result = await Get($"/status/{status}");
        AssertFailed(result, ErrorClass.Status);
        Assert.Equal(status, result.Status);
    }

    [Fact]
    public async Task Passes_a_3xx_without_location_and_honours_expect_status()
    {
        var notModified = await Get("/redirect?status=304&to=/");
        AssertOk(notModified);
        Assert.Equal(304, notModified.Status);
        AssertOk(await Get("/status/503", new ProbeExpect { Status = [503] }));
        var wrong = await Get("/", new ProbeExpect { Status = [204] });
        AssertFailed(wrong, ErrorClass.Status);
        Assert.Contains("expected 204", wrong.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checks_keyword_and_absent_on_the_body()
    {
        AssertOk(await Get("/", new ProbeExpect { Keyword = "test server" }));
        AssertFailed(await Get("/", new ProbeExpect { Keyword = "missing words" }), ErrorClass.Content);
        AssertFailed(await Get("/", new ProbeExpect { Absent = "test server" }), ErrorClass.Content);
        AssertOk(await Get("/", new ProbeExpect { Absent = "Fatal error" }));
    }

    [Fact]
    public async Task Reads_at_most_1_MiB_of_the_body_for_keyword_checks()
    {
        var result = await Get("/large?kib=2048&tail=needle", new ProbeExpect { Keyword = "needle" });
        AssertFailed(result, ErrorClass.Content);
        Assert.Contains("first 1 MiB", result.Error!.Message, StringComparison.Ordinal);
        AssertOk(await Get("/large?kib=16&tail=needle", new ProbeExpect { Keyword = "needle" }));
    }

    [Fact]
    public async Task Times_out_without_a_code_on_a_server_that_never_answers_after_connecting()
    {
        var result = await Get("/hang", timeoutMs: 500);
        AssertFailed(result, ErrorClass.Timeout);
        Assert.Null(result.Error!.Code);
        Assert.Contains("waiting for the response", result.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(result.Phases.Connect);
        Assert.Null(result.Phases.FirstByte);
    }

    [Fact]
    public async Task Times_out_with_ETIMEDOUT_when_the_connection_is_never_established()
    {
        using var silent = ClosedPorts.Unresponsive();
        var result = await ProbeAsync(ProbeType.Http, $"http://127.0.0.1:{silent.Port}/", timeoutMs: 300);
        AssertFailed(result, ErrorClass.Timeout, "ETIMEDOUT");
        Assert.Null(result.Phases.Connect);
    }

    [Fact]
    public async Task Reports_a_refused_port_as_class_connect_ECONNREFUSED()
    {
        using var refusing = ClosedPorts.RefusingTcp(out var port);
        var result = await ProbeAsync(ProbeType.Http, $"http://127.0.0.1:{port}/");
        AssertFailed(result, ErrorClass.Connect, "ECONNREFUSED");
        Assert.Equal("127.0.0.1", result.RemoteAddress);
    }

    [Fact]
    public async Task Fails_with_class_protocol_when_the_server_closes_before_answering_or_in_the_body()
    {
        AssertFailed(await Get("/close"), ErrorClass.Protocol);
        var cut = await Get("/truncated");
        AssertFailed(cut, ErrorClass.Protocol);
        Assert.Equal(200, cut.Status);
        Assert.Contains("after 10 bytes", cut.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opens_a_fresh_connection_for_every_probe()
    {
        var before = _server.Connections;
        var prober = Prober();
        var spec = new ProbeSpec(ProbeType.Http, _server.Url + "/");
        await Task.WhenAll(prober.ProbeAsync(spec), prober.ProbeAsync(spec), prober.ProbeAsync(spec));
        await prober.ProbeAsync(spec);
        Assert.Equal(4, _server.Connections - before);
    }

    [Fact]
    public async Task Rejects_a_target_of_the_wrong_scheme_as_class_protocol()
    {
        var result = await ProbeAsync(ProbeType.Https, _server.Url);
        AssertFailed(result, ErrorClass.Protocol);
        Assert.Contains("invalid target", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_NXDOMAIN_as_the_targets_fault_and_a_broken_or_silent_resolver_as_ours()
    {
        var missing = await ProbeAsync(ProbeType.Http, $"http://nope.test:{_server.Port}/", nameServer: _dns.Endpoint);
        AssertFailed(missing, ErrorClass.Dns, "ENOTFOUND");
        Assert.False(missing.Error!.IsLocalFault);
        var servfail = await ProbeAsync(ProbeType.Http, $"http://broken.test:{_server.Port}/", nameServer: _dns.Endpoint);
        AssertFailed(servfail, ErrorClass.Dns, "ESERVFAIL");
        Assert.True(servfail.Error!.IsLocalFault);
        var silent = await ProbeAsync(ProbeType.Http, $"http://silent.test:{_server.Port}/", timeoutMs: 300, nameServer: _dns.Endpoint);
        AssertFailed(silent, ErrorClass.Timeout, "ETIMEDOUT");
        Assert.True(silent.Error!.IsLocalFault);
    }

    [Fact]
    public async Task Follows_redirects_and_reports_the_final_answer()
    {
        var to = Uri.EscapeDataString($"{_server.Url}/redirect?to=/text%3Fbody%3Dlanded&status=301");
        var result = await Get($"/redirect?to={to}", new ProbeExpect { Keyword = "landed" });
        AssertOk(result);
        Assert.Equal(200, result.Status);
    }

    [Fact]
    public async Task Reports_the_3xx_itself_with_maxRedirects_0()
    {
        var result = await Get("/redirect?to=/status/500", new ProbeExpect { MaxRedirects = 0 });
        AssertOk(result);
        Assert.Equal(302, result.Status);
        var followed = await Get("/redirect?to=/status/500");
        AssertFailed(followed, ErrorClass.Status);
        Assert.Equal(500, followed.Status);
    }

    [Fact]
    public async Task Stops_a_redirect_loop_at_the_limit()
    {
        var result = await Get("/loop", new ProbeExpect { MaxRedirects = 3 });
        AssertFailed(result, ErrorClass.Protocol);
        Assert.Equal(302, result.Status);
        Assert.Contains("more than 3 redirects", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocks_a_redirect_to_the_cloud_metadata_address_even_with_private_targets_allowed()
    {
        var before = _server.Requests.Count;
        var result = await Get($"/redirect?to={Uri.EscapeDataString("http://169.254.169.254/latest/meta-data/")}");
        AssertFailed(result, ErrorClass.Blocked);
        Assert.Equal("169.254.169.254", result.RemoteAddress);
        Assert.Contains("after a redirect to http://169.254.169.254/", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests.Count - before);
    }

    [Fact]
    public async Task Checks_the_address_a_redirect_resolves_to_not_only_its_name()
    {
        var result = await Get($"/redirect?to={Uri.EscapeDataString("http://metadata.test/")}");
        AssertFailed(result, ErrorClass.Blocked);
        Assert.Equal("169.254.169.254", result.RemoteAddress);
        Assert.Contains("metadata.test A", _dns.Queries);
    }

    [Fact]
    public async Task Blocks_private_targets_and_private_redirect_hops_when_private_targets_are_not_allowed()
    {
        var before = _server.Connections;
        var loopback = await Get("/", options: Strict);
        AssertFailed(loopback, ErrorClass.Blocked);
        Assert.Equal("127.0.0.1", loopback.RemoteAddress);
        var internalName = await ProbeAsync(ProbeType.Http, "http://internal.test/", timeoutMs: 2000, options: Strict, nameServer: _dns.Endpoint);
        AssertFailed(internalName, ErrorClass.Blocked);
        Assert.Contains("internal.test resolves to 10.1.2.3", internalName.Error!.Message, StringComparison.Ordinal);
        AssertFailed(await ProbeAsync(ProbeType.Http, "http://[::ffff:7f00:1]/", options: Strict), ErrorClass.Blocked);
        AssertFailed(await ProbeAsync(ProbeType.Http, "http://0x7f.1/", options: Strict), ErrorClass.Blocked);
        Assert.Equal(before, _server.Connections);
    }

    [Fact]
    public async Task The_callers_cancellation_ends_the_probe_with_an_exception_not_a_result()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Prober().ProbeAsync(new ProbeSpec(ProbeType.Http, _server.Url + "/hang"), cancelled.Token));
    }
}
