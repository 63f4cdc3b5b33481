using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>
/// Certificates made in-process: a test CA (trust it through ProbeOptions.ExtraTrustedRoots) and
/// leaf certificates it signed for each TLS case. EC P-256 keys: quick to make and to use.
/// </summary>
public sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> Made = new(() => new TestCertificates(DateTimeOffset.UtcNow));

    private TestCertificates(DateTimeOffset now)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Serverless Monitor Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Authority = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(3650));

        Valid = Leaf(Authority, LocalNames, now.AddDays(-1), now.AddDays(365));
        Expired = Leaf(Authority, LocalNames, now.AddDays(-30), now.AddDays(-1));
        WrongHost = Leaf(Authority, ["wrong-host.example"], now.AddDays(-1), now.AddDays(365));
        ExpiringSoon = Leaf(Authority, LocalNames, now.AddDays(-1), now.AddDays(5).AddHours(1));
        SelfSigned = Leaf(null, LocalNames, now.AddDays(-1), now.AddDays(365));
    }

    public static TestCertificates Instance => Made.Value;

    /// <summary>The test CA (public part only).</summary>
    public X509Certificate2 Authority { get; }

    public X509Certificate2Collection Roots => [X509CertificateLoader.LoadCertificate(Authority.RawData)];

    /// <summary>localhost, 127.0.0.1 and ::1; valid for a year.</summary>
    public X509Certificate2 Valid { get; }

    /// <summary>localhost and 127.0.0.1; expired yesterday.</summary>
    public X509Certificate2 Expired { get; }

    /// <summary>Valid, but only for wrong-host.example.</summary>
    public X509Certificate2 WrongHost { get; }

    /// <summary>Expires in five days (inside the default 14-day warning).</summary>
    public X509Certificate2 ExpiringSoon { get; }

    /// <summary>localhost, signed by itself rather than the test CA.</summary>
    public X509Certificate2 SelfSigned { get; }

    private static readonly string[] LocalNames = ["localhost", "127.0.0.1", "::1"];

    private static X509Certificate2 Leaf(X509Certificate2? issuer, string[] names, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                alternativeNames.AddIpAddress(address);
            }
            else
            {
                alternativeNames.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(alternativeNames.Build());
        if (issuer is null)
        {
            using var self = request.CreateSelfSigned(notBefore, notAfter);
            return X509CertificateLoader.LoadPkcs12(self.Export(X509ContentType.Pkcs12), null);
        }

        using var ca = issuer.GetECDsaPrivateKey()!;
        var serial = RandomNumberGenerator.GetBytes(12);
        using var signed = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(ca), notBefore, notAfter, serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        // Through PKCS#12 so the key is one SslStream on Linux can use as a server.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
