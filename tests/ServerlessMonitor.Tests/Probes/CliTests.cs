using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>`sm probe` as a person runs it: a child process, exit codes 0 passed / 2 failed / 1 bad usage.</summary>
public sealed partial class CliTests : IAsyncLifetime
{
    private HttpTestServer _web = null!;
    private HttpTestServer _secure = null!;
    private string _caFile = null!;

    public Task InitializeAsync()
    {
        _web = new HttpTestServer();
        _secure = new HttpTestServer(TestCertificates.Instance.Valid);
        _caFile = Path.Combine(Path.GetTempPath(), $"sm-test-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(_caFile, TestCertificates.Instance.Authority.ExportCertificatePem());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        await _secure.DisposeAsync();
        File.Delete(_caFile);
    }

    private static Task<CliProcess.Run> Sm(params string[] arguments) => CliProcess.RunAsync(["probe", .. arguments]);

    [Fact]
    public async Task Prints_a_summary_with_the_phases_and_exits_0_when_the_probe_passes()
    {
        var run = await Sm($"{_web.Url}/");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"{_web.Url}/ (http, timeout 10 s)", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(ResultOk(), run.Stdout);
        Assert.Matches(FirstByteRow(), run.Stdout);
    }

    [Fact]
    public async Task Prints_the_result_JSON_of_the_API_with_json()
    {
        var run = await Sm($"{_web.Url}/", "--json", "--expect", """{"keyword":"test server"}""");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("local", root.GetProperty("region").GetString());
        Assert.Equal("http", root.GetProperty("type").GetString());
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal("127.0.0.1", root.GetProperty("remoteAddress").GetString());
        var at = root.GetProperty("at").GetString()!;
        Assert.Equal(at, DateTimeOffset.Parse(at, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        var phases = root.GetProperty("phases");
        Assert.Equal(["dns", "connect", "tls", "firstByte", "total"], phases.EnumerateObject().Select(phase => phase.Name));
        Assert.True(phases.GetProperty("connect").GetDouble() <= phases.GetProperty("firstByte").GetDouble());
    }

    [Fact]
    public async Task Trusts_what_the_system_trusts_including_SSL_CERT_FILE()
    {
        var run = await CliProcess.RunAsync(["probe", $"https://localhost:{_secure.Port}/", "--json"], new Dictionary<string, string> { ["SSL_CERT_FILE"] = _caFile });
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("CN=localhost", json.RootElement.GetProperty("certificate").GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Exits_2_when_the_probe_fails()
    {
        using var refusing = ClosedPorts.RefusingTcp(out var port);
        var refused = await Sm($"127.0.0.1:{port}", "--json");
        Assert.Equal(2, refused.ExitCode);
        using var json = JsonDocument.Parse(refused.Stdout);
        Assert.Equal("tcp", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("connect", json.RootElement.GetProperty("error").GetProperty("class").GetString());
        Assert.Equal("ECONNREFUSED", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        var status = await Sm($"{_web.Url}/status/500");
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("FAILED — status: HTTP 500", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infers_ping_for_a_bare_host_labels_it_a_TCP_connect_and_applies_SM_ALLOW_PRIVATE_TARGETS()
    {
        var run = await CliProcess.RunAsync(["probe", "localhost", "--json"], new Dictionary<string, string> { ["SM_ALLOW_PRIVATE_TARGETS"] = "false" });
        Assert.Equal(2, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("ping", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("tcp-connect", json.RootElement.GetProperty("method").GetString());
        Assert.Equal("blocked", json.RootElement.GetProperty("error").GetProperty("class").GetString());
        var human = await CliProcess.RunAsync(["probe", "localhost"], new Dictionary<string, string> { ["SM_ALLOW_PRIVATE_TARGETS"] = "false" });
        Assert.Contains("(ping, as a TCP connect, timeout 10 s)", human.Stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string?> Mistakes => new()
    {
        { [], null },
        { ["a", "b"], null },
        { ["--type", "gopher", "example.com"], null },
        { ["example.com", "--timeout", "0"], null },
        { ["example.com", "--timeout", "31"], null },
        { ["--type", "tcp", "example.com"], null },
        { ["example.com", "--expect", "{"], null },
        { ["x.com:1", "--expect", """{"nope":1}"""], null },
        { ["x.com:1", "--expect", """{"keyword":"OK"}"""], null },
        { ["ssh://example.com"], null },
        { ["--bogus"], null },
        { ["localhost"], "maybe" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Exits_1_with_a_message_on_stderr_on_bad_usage(string[] arguments, string? allowPrivate)
    {
        var environment = allowPrivate is null ? null : new Dictionary<string, string> { ["SM_ALLOW_PRIVATE_TARGETS"] = allowPrivate };
        var run = await CliProcess.RunAsync(["probe", .. arguments], environment);
        Assert.Equal(1, run.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(run.Stderr), "a usage error explains itself on stderr");
    }

    [GeneratedRegex(@"result\s+ok")]
    private static partial Regex ResultOk();

    [GeneratedRegex(@"first byte\s+\d+\.\d{3} ms")]
    private static partial Regex FirstByteRow();
}
