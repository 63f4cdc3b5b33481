namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// The certificate a monitor's destinations were last warned about (docs/MONITORS.md,
/// Certificate warnings): kept on the monitor row until a passing probe shows the certificate
/// no longer expires soon. <see cref="DaysLeft"/> follows the probes day by day; the rest is
/// as it was when the warning went out.
/// </summary>
/// <param name="Sha256">The certificate's SHA-256 thumbprint: a renewed certificate has another, and is warned about again.</param>
/// <param name="WarnedAt">When the warning was sent.</param>
public sealed record WarnedCertificate(string Sha256, int DaysLeft, DateTimeOffset ExpiresAt, string Subject, DateTimeOffset WarnedAt);
