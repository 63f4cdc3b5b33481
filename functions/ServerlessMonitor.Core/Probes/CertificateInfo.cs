namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// The certificate a TLS server presented, reported even when it was refused. <see cref="Sha256"/>
/// identifies the certificate itself, so "warn once per certificate" can tell a renewal from the
/// same certificate seen again.
/// </summary>
public sealed record CertificateInfo(string Subject, string Issuer, DateTimeOffset ExpiresAt, int DaysLeft, string Sha256);
