using System.Net;
using System.Net.Http;
using System.Text;
using Azure.Core.Pipeline;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Acs;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Tests.Support.FakeAcs;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>Both ways of signing in to ACS, and proof that the fake really checks them.</summary>
public sealed class AcsAuthenticationTests
{
    private const string Endpoint = "https://contoso.communication.azure.com/";
    private const string Key = "QUNTIGFjY2VzcyBrZXkgZm9yIHRoZSBITUFDIHRlc3QgLSAzMiBieXRlcyE=";

    [Fact]
    public async Task The_HMAC_policy_signs_a_known_request_as_the_documented_algorithm_does()
    {
        var handler = new CapturingHandler(HttpStatusCode.Accepted, """{"value":[{"to":"+14155550100","messageId":"m1","httpStatusCode":202,"successful":true}]}""");
        var clock = new WatchedClock();
        var client = new AcsClient(AcsAccessKey.Parse($"endpoint={Endpoint};accesskey={Key}"), clock, new HttpClientTransport(handler));
        var attempt = new DeliveryAttempt(Guid.Parse("7f1c1f7e-2a55-4e34-9d0b-0c7d6b2a1e01"), clock.GetUtcNow());

        await new AcsSmsChannel(client, "+18005550199").DeliverAsync(AcsFixture.SmsTo(), attempt, CancellationToken.None);

        var (request, body) = Assert.Single(handler.Requests);
        var date = "Sun, 29 Nov 2026 12:00:00 GMT";
        var hash = TestSigner.ContentHash(body);
        Assert.Equal(date, Header(request, "x-ms-date"));
        Assert.Equal(hash, Header(request, "x-ms-content-sha256"));
        Assert.Equal(TestSigner.Authorization(Key, "POST", new Uri(Endpoint + "sms?api-version=2021-03-07"), date, hash), Header(request, "Authorization"));
    }

    [Fact]
    public async Task The_HMAC_policy_signs_a_request_without_a_body_with_the_hash_of_no_bytes()
    {
        var handler = new CapturingHandler(HttpStatusCode.OK, """{"id":"x","status":"Succeeded"}""");
        var clock = new WatchedClock();
        var client = new AcsClient(AcsAccessKey.Parse($"endpoint={Endpoint};accesskey={Key}"), clock, new HttpClientTransport(handler));
        var operation = new Uri(Endpoint + "emails/operations/x?api-version=2023-03-31");

        await client.SendAsync(Azure.Core.RequestMethod.Get, operation, null, [], CancellationToken.None);

        var (request, _) = Assert.Single(handler.Requests);
        const string emptyHash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        Assert.Equal(emptyHash, Header(request, "x-ms-content-sha256"));
        Assert.Equal(TestSigner.Authorization(Key, "GET", operation, "Sun, 29 Nov 2026 12:00:00 GMT", emptyHash), Header(request, "Authorization"));

        // The same signature computed outside .NET (Python's hmac module), so a mistake shared
        // by the policy and TestSigner would still show.
        Assert.EndsWith("&Signature=86f3I1FrHnhKr4+/X6L8rVqOggJZnlpjIDFzZbCKTKU=", Header(request, "Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fake_accepts_a_correctly_signed_raw_request()
    {
        await using var f = await AcsFixture.StartAsync();
        var body = SmsBody();

        using var response = await Send(TestSigner.Request(f.Acs.AccessKey, SmsUri(f), body, body, f.Clock.GetUtcNow()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(f.Acs.Sms);
    }

    [Fact]
    public async Task The_fake_refuses_a_request_signed_with_another_key()
    {
        await using var f = await AcsFixture.StartAsync();
        var body = SmsBody();
        var otherKey = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());

        using var response = await Send(TestSigner.Request(otherKey, SmsUri(f), body, body, f.Clock.GetUtcNow()));

        AssertRefused(f, response, "the signature does not match");
    }

    [Fact]
    public async Task The_fake_refuses_a_body_changed_after_signing()
    {
        await using var f = await AcsFixture.StartAsync();
        var body = SmsBody();
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("+14155550100", "+14155550199", StringComparison.Ordinal));

        using var response = await Send(TestSigner.Request(f.Acs.AccessKey, SmsUri(f), body, changed, f.Clock.GetUtcNow()));

        AssertRefused(f, response, "x-ms-content-sha256 does not match the body");
    }

    [Fact]
    public async Task The_fake_refuses_a_stale_date()
    {
        await using var f = await AcsFixture.StartAsync();
        var body = SmsBody();

        using var response = await Send(TestSigner.Request(f.Acs.AccessKey, SmsUri(f), body, body, f.Clock.GetUtcNow() - TimeSpan.FromMinutes(20)));

        AssertRefused(f, response, "x-ms-date is not within 15 minutes");
    }

    [Fact]
    public async Task A_channel_whose_clock_is_far_off_is_refused()
    {
        await using var f = await AcsFixture.StartAsync();
        var lateClock = new WatchedClock(WatchedClock.Noon - TimeSpan.FromMinutes(20));
        var channel = new AcsSmsChannel(AcsClient.FromConfig(new AcsConfig.ConnectionString(f.Acs.ConnectionString), lateClock), AcsFixture.SmsSender);

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await channel.DeliverAsync(AcsFixture.SmsTo(), f.NewAttempt(), CancellationToken.None));

        Assert.Equal((RetryKind.Never, 401), (failed.Retry, failed.Status));
        Assert.Equal("x-ms-date is not within 15 minutes", Assert.Single(f.Acs.Requests).Problem);
    }

    [Fact]
    public async Task With_Microsoft_Entra_it_sends_a_bearer_token_for_the_ACS_scope_over_TLS()
    {
        using var certificate = TestCertificate.ForLoopback();
        var clock = new WatchedClock();
        await using var acs = await FakeAcsServer.StartAsync(new FakeAcsOptions { Time = clock, Certificate = certificate, BearerToken = "entra-token-1" });
        var credential = new FixedTokenCredential("entra-token-1");
        var client = new AcsClient(acs.Url, credential, clock, Trusting(certificate));

        var outcome = await new AcsSmsChannel(client, AcsFixture.SmsSender).DeliverAsync(AcsFixture.SmsTo(), new DeliveryAttempt(Guid.NewGuid(), clock.GetUtcNow()), CancellationToken.None);

        Assert.IsType<DeliveryOutcome.Sent>(outcome);
        Assert.StartsWith("https://", acs.Url.ToString(), StringComparison.Ordinal);
        Assert.Equal("Bearer entra-token-1", Assert.Single(acs.Requests).Header("authorization"));
        Assert.Equal(["https://communication.azure.com//.default"], credential.Scopes.Distinct());
    }

    [Fact]
    public async Task The_fake_refuses_a_wrong_bearer_token()
    {
        using var certificate = TestCertificate.ForLoopback();
        var clock = new WatchedClock();
        await using var acs = await FakeAcsServer.StartAsync(new FakeAcsOptions { Time = clock, Certificate = certificate, BearerToken = "entra-token-1" });
        var client = new AcsClient(acs.Url, new FixedTokenCredential("someone-elses-token"), clock, Trusting(certificate));

        var failed = Assert.IsType<DeliveryOutcome.Failed>(await new AcsSmsChannel(client, AcsFixture.SmsSender).DeliverAsync(AcsFixture.SmsTo(), new DeliveryAttempt(Guid.NewGuid(), clock.GetUtcNow()), CancellationToken.None));

        Assert.Equal((RetryKind.Never, 401), (failed.Retry, failed.Status));
        Assert.Empty(acs.Sms);
    }

    private static HttpClientTransport Trusting(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString() },
    });

    private static Uri SmsUri(AcsFixture f) => new(f.Acs.Url, "sms?api-version=2021-03-07");

    private static byte[] SmsBody() => Encoding.UTF8.GetBytes(
        """{"from":"+18005550199","smsRecipients":[{"to":"+14155550100"}],"message":"Shop is down","smsSendOptions":{"enableDeliveryReport":false}}""");

    private static async Task<HttpResponseMessage> Send(HttpRequestMessage request)
    {
        using var http = new HttpClient();
        using (request)
        {
            return await http.SendAsync(request);
        }
    }

    private static void AssertRefused(AcsFixture f, HttpResponseMessage response, string problem)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(problem, Assert.Single(f.Acs.Requests).Problem);
        Assert.Empty(f.Acs.Sms);
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
