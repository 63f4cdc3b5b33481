namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// Not a failure: the certificate expires within the monitor's warning window
/// (<c>expect.certificateWarningDays</c>, default 14 days).
/// </summary>
public sealed record CertificateWarning(int DaysLeft, DateTimeOffset ExpiresAt, string Subject, string Sha256, int WarningDays)
{
    public string Message => $"the certificate expires in {DaysLeft} day{(DaysLeft == 1 ? "" : "s")} ({ExpiresAt.UtcDateTime:yyyy-MM-dd})";
}
