using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// The verdict on a TLS server's certificate, taken inside the handshake: a refused certificate
/// ends the handshake before any request is sent, yet what it said (subject, expiry) is kept for
/// the result. Trusts the system's roots and the deployment's extra roots; never skips validation.
/// </summary>
internal sealed class CertificateCheck(string host, ProbeOptions options, TimeProvider time, int warningDays)
{
    public const int DefaultWarningDays = 14;

    public CertificateInfo? Certificate { get; private set; }

    public CertificateWarning? Warning { get; private set; }

    public ProbeFailure? Failure { get; private set; }

    /// <summary>Handshake options: no session resumption (every probe pays a full handshake), no downloads, no revocation fetches.</summary>
    public SslClientAuthenticationOptions ClientOptions() => new()
    {
        TargetHost = host,
        RemoteCertificateValidationCallback = Validate,
        AllowTlsResume = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // As the TypeScript engine (OpenSSL) did: a server that omits its intermediate is broken
        // for many clients, so the probe does not fetch it from the issuer's URL either.
        CertificateChainPolicy = new X509ChainPolicy
        {
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
        },
    };

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            Failure = new ProbeFailure(ErrorClass.Tls, "the server sent no certificate");
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var now = time.GetUtcNow();
        var expiresAt = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var daysLeft = (int)Math.Floor((expiresAt - now).TotalDays);
        var thumbprint = leaf.GetCertHashString(HashAlgorithmName.SHA256);
        Certificate = new CertificateInfo(leaf.Subject, leaf.Issuer, expiresAt, daysLeft, thumbprint);

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && ChainProblem(leaf, chain, now) is { } problem)
        {
            Failure = problem;
            return false;
        }

        // Checked after the chain, as OpenSSL and Node do, so an expired certificate reads as expired.
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            Failure = new ProbeFailure(ErrorClass.Tls, $"invalid certificate: the certificate is not valid for {host}", "ERR_TLS_CERT_ALTNAME_INVALID");
            return false;
        }

        if (daysLeft < warningDays)
        {
            Warning = new CertificateWarning(daysLeft, expiresAt, leaf.Subject, thumbprint, warningDays);
        }

        return true;
    }

    /// <summary>What is wrong with the chain once the extra roots are trusted too; null when nothing is.</summary>
    private ProbeFailure? ChainProblem(X509Certificate2 leaf, X509Chain? chain, DateTimeOffset now)
    {
        var flags = Flags(chain);
        var length = chain?.ChainElements.Count ?? 1;
        if (options.ExtraTrustedRoots is { Count: > 0 } roots && (flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            custom.ChainPolicy.DisableCertificateDownloads = true;
            custom.ChainPolicy.VerificationTime = now.UtcDateTime;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements.Skip(1))
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            custom.Build(leaf);
            flags = Flags(custom);
            length = custom.ChainElements.Count;
        }

        if (flags == X509ChainStatusFlags.NoError)
        {
            return null;
        }

        var (code, reason) = Describe(flags, leaf, length, now);
        return new ProbeFailure(ErrorClass.Tls, $"invalid certificate: {reason}", code);
    }

    private static X509ChainStatusFlags Flags(X509Chain? chain) =>
        chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, status) => all | status.Status) ?? X509ChainStatusFlags.PartialChain;

    /// <summary>The OpenSSL names the TypeScript engine reported, so stored codes keep their meaning.</summary>
    private static (string? Code, string Reason) Describe(X509ChainStatusFlags flags, X509Certificate2 leaf, int length, DateTimeOffset now)
    {
        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return now.UtcDateTime > leaf.NotAfter.ToUniversalTime()
                ? ("CERT_HAS_EXPIRED", $"the certificate expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}")
                : ("CERT_NOT_YET_VALID", "the certificate is not valid yet");
        }

        if (flags.HasFlag(X509ChainStatusFlags.Revoked))
        {
            return ("CERT_REVOKED", "the certificate was revoked");
        }

        var selfSigned = leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData);
        if (selfSigned && length <= 1)
        {
            return ("DEPTH_ZERO_SELF_SIGNED_CERT", "the certificate is self-signed");
        }

        if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot))
        {
            return ("SELF_SIGNED_CERT_IN_CHAIN", "the chain ends in an untrusted self-signed certificate");
        }

        if (flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return ("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "the issuer is not a trusted authority (or the server omits an intermediate certificate)");
        }

        return (null, $"untrusted certificate ({flags})");
    }
}
