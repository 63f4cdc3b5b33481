namespace ServerlessMonitor.Functions.Monitors;

/// <summary>
/// The certificate the monitor's destinations were warned about: it expires within the warning
/// window (expect.certificateWarningDays). Shown until a passing probe sees a certificate that does not.
/// </summary>
/// <param name="DaysLeft">Whole days left, as the latest probes counted them.</param>
/// <param name="Sha256">The certificate's SHA-256 thumbprint; a renewed certificate has another and is warned about again.</param>
/// <param name="WarnedAt">When the warning was sent.</param>
public sealed record WarnedCertificateBody(int DaysLeft, DateTimeOffset ExpiresAt, string Subject, string Sha256, DateTimeOffset WarnedAt);
