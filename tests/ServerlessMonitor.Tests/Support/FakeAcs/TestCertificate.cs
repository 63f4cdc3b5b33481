using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ServerlessMonitor.Tests.Support.FakeAcs;

/// <summary>A self-signed certificate for 127.0.0.1, made per test run: TLS for loopback servers.</summary>
public static class TestCertificate
{
    public static X509Certificate2 ForLoopback()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        // Kestrel wants a certificate whose private key it can hand to TLS: a PFX round trip gives one.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}
