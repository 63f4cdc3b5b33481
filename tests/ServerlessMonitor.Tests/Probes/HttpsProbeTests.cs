using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

public sealed class HttpsProbeTests : IAsyncLifetime
{
    private static readonly TestCertificates Certificates = TestCertificates.Instance;
    private readonly List<HttpTestServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    private HttpTestServer Serve(X509Certificate2? certificate)
    {
        var server = new HttpTestServer(certificate);
        _servers.Add(server);
        return server;
    }

    [Fact]
    public async Task Passes_with_a_valid_certificate_reporting_the_tls_phase_and_the_certificate()
    {
        var server = Serve(Certificates.Valid);
        var result = await ProbeAsync(ProbeType.Https, $"https://localhost:{server.Port}/", new ProbeExpect { Keyword = "test server" });
        AssertOk(result);
        Assert.Equal(200, result.Status);
        Assert.Null(result.CertificateWarning);
        Assert.Null(result.Warning);
        Assert.True(result.Phases.Tls > result.Phases.Connect);
        Assert.True(result.Phases.FirstByte > result.Phases.Tls);
        var certificate = result.Certificate!;
        Assert.Equal("CN=localhost", certificate.Subject);
        Assert.InRange(certificate.DaysLeft, 363, 365);
        Assert.Equal(Certificates.Valid.GetCertHashString(HashAlgorithmName.SHA256), certificate.Sha256);
        Assert.Equal(certificate.ExpiresAt, result.CertificateExpiresAt);
    }

    [Fact]
    public async Task Accepts_a_fully_qualified_name_and_an_address_the_certificate_lists()
    {
        var server = Serve(Certificates.Valid);
        AssertOk(await ProbeAsync(ProbeType.Https, $"https://localhost.:{server.Port}/"));
        AssertOk(await ProbeAsync(ProbeType.Https, server.Url));
    }

    [Fact]
    public async Task Fails_an_expired_certificate_with_class_tls_before_any_request_and_still_reports_it()
    {
        var server = Serve(Certificates.Expired);
        var result = await ProbeAsync(ProbeType.Https, $"https://localhost:{server.Port}/");
        AssertFailed(result, ErrorClass.Tls, "CERT_HAS_EXPIRED");
        Assert.True(result.CertificateExpiresAt < DateTimeOffset.UtcNow);
        Assert.Null(result.Phases.Tls);
        Assert.Null(result.Phases.FirstByte);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Fails_a_certificate_for_another_host_name_with_class_tls()
    {
        var server = Serve(Certificates.WrongHost);
        var result = await ProbeAsync(ProbeType.Https, $"https://localhost:{server.Port}/");
        AssertFailed(result, ErrorClass.Tls, "ERR_TLS_CERT_ALTNAME_INVALID");
        Assert.Contains("localhost", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_a_self_signed_certificate_and_does_not_trust_the_test_CA_unless_told_to()
    {
        var selfSigned = Serve(Certificates.SelfSigned);
        AssertFailed(await ProbeAsync(ProbeType.Https, $"https://localhost:{selfSigned.Port}/"), ErrorClass.Tls, "DEPTH_ZERO_SELF_SIGNED_CERT");
        var valid = Serve(Certificates.Valid);
        var untrusting = new ProbeOptions { AllowPrivateTargets = true };
        AssertFailed(await ProbeAsync(ProbeType.Https, $"https://localhost:{valid.Port}/", options: untrusting), ErrorClass.Tls);
    }

    [Fact]
    public async Task Warns_when_the_certificate_expires_within_the_warning_window_with_what_once_per_certificate_needs()
    {
        var server = Serve(Certificates.ExpiringSoon);
        var target = $"https://localhost:{server.Port}/";
        var result = await ProbeAsync(ProbeType.Https, target);
        AssertOk(result);
        var warning = result.CertificateWarning!;
        Assert.Equal(5, warning.DaysLeft);
        Assert.Equal(14, warning.WarningDays);
        Assert.Equal("CN=localhost", warning.Subject);
        Assert.Equal(Certificates.ExpiringSoon.GetCertHashString(HashAlgorithmName.SHA256), warning.Sha256);
        Assert.Contains("expires in 5 days", result.Warning, StringComparison.Ordinal);
        var quiet = await ProbeAsync(ProbeType.Https, target, new ProbeExpect { CertificateWarningDays = 3 });
        AssertOk(quiet);
        Assert.Null(quiet.CertificateWarning);
    }

    [Fact]
    public async Task Fails_a_plain_HTTP_server_with_class_tls()
    {
        var plain = Serve(null);
        AssertFailed(await ProbeAsync(ProbeType.Https, $"https://127.0.0.1:{plain.Port}/"), ErrorClass.Tls);
    }

    [Fact]
    public async Task Pays_a_full_handshake_on_a_fresh_connection_every_time()
    {
        var server = Serve(Certificates.Valid);
        for (var i = 0; i < 3; i++)
        {
            var result = await ProbeAsync(ProbeType.Https, $"https://localhost:{server.Port}/");
            AssertOk(result);
            Assert.NotNull(result.Certificate);
        }

        Assert.Equal(3, server.Connections);
    }

    [Fact]
    public async Task Follows_a_redirect_from_http_to_https_and_validates_the_certificate_there()
    {
        var secure = Serve(Certificates.Expired);
        var plain = Serve(null);
        var to = Uri.EscapeDataString($"https://localhost:{secure.Port}/");
        var result = await ProbeAsync(ProbeType.Http, $"{plain.Url}/redirect?to={to}");
        AssertFailed(result, ErrorClass.Tls, "CERT_HAS_EXPIRED");
    }
}
