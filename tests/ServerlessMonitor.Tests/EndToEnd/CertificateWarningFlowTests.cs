using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.EndToEnd.IncidentFlowTests;

namespace ServerlessMonitor.Tests.EndToEnd;

/// <summary>
/// A certificate expiring in five days, on the local runtime as a user meets it: the owner gets
/// one CERTIFICATE email however many cycles see it, and the monitor shows the warning — probes
/// in every simulated region, the cycles table, the verdict step, the sender, the outbox.
/// </summary>
public sealed class CertificateWarningFlowTests
{
    [Fact]
    public async Task A_certificate_expiring_soon_warns_the_owner_once_and_the_monitor_shows_it()
    {
        var certificate = TestCertificates.Instance.ExpiringSoon;
        await using var target = new HttpTestServer(certificate);
        await using var runtime = await LocalRuntime.StartAsync(Options(target));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        await SignUpAsync(http);

        var created = await http.PostAsJsonAsync("monitors", new { name = "Shop", type = "https", target = $"{target.Url}/", intervalMinutes = 1, timeoutSeconds = 5 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var monitor = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var monitorId = (string)monitor["id"]!;
        Assert.True(monitor.ContainsKey("certificateWarning"));
        Assert.Null(monitor["certificateWarning"]);

        var email = await MessageAsync(http, m => (string?)m["to"] == Email && ((string?)m["subject"])?.StartsWith("CERTIFICATE:", StringComparison.Ordinal) == true);
        Assert.Equal("CERTIFICATE: Shop expires in 5 days", (string?)email["subject"]);
        Assert.Contains("Certificate: CN=localhost", (string)email["body"]!, StringComparison.Ordinal);

        var warning = await Eventually.Get(
            async () => (await http.GetFromJsonAsync<JsonObject>($"monitors/{monitorId}"))!["certificateWarning"],
            Patience,
            "the monitor to show the certificate warning");
        Assert.Equal(5, (int)warning!["daysLeft"]!);
        Assert.Equal("CN=localhost", (string?)warning["subject"]);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256), (string?)warning["sha256"]);
        Assert.Equal(new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), (DateTimeOffset)warning["expiresAt"]!);
        Assert.Contains((await http.GetFromJsonAsync<JsonArray>("monitors"))!, m => (string?)m!["id"] == monitorId && m["certificateWarning"] is not null);

        // Four more minutes of cycles see the same certificate, each from every region.
        var warnedAt = (DateTimeOffset)warning["warnedAt"]!;
        await Eventually.True(
            async () => (await http.GetFromJsonAsync<JsonArray>($"monitors/{monitorId}/results"))!.Any(r => (DateTimeOffset)r!["minute"]! >= warnedAt.AddSeconds(4 * MinuteSeconds)),
            Patience,
            "four more cycles of results");
        var outbox = (await http.GetFromJsonAsync<JsonArray>("dev/outbox"))!;
        Assert.Single(outbox, m => ((string?)m!["subject"])?.StartsWith("CERTIFICATE:", StringComparison.Ordinal) == true);
    }

    private const int MinuteSeconds = 3;

    private static LocalRuntimeOptions Options(HttpTestServer target)
    {
        var options = TestRuntime.Options($"cert{Guid.NewGuid():N}"[..20], new()
        {
            ["SM_MINUTE_SECONDS"] = MinuteSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SM_CANARY_TARGETS"] = $"127.0.0.1:{target.Port}",
        }, withSamples: false);

        // The loopback server's certificate is signed by the tests' own CA, which the probes must trust.
        return options with
        {
            ConfigureServices = services => services.AddSingleton(new ProbeOptions { AllowPrivateTargets = true, ExtraTrustedRoots = TestCertificates.Instance.Roots }),
        };
    }
}
