namespace ServerlessMonitor.Functions.Results;

/// <summary>A certificate near its expiry, as found by the probe; the sha256 tells a renewed certificate from the same one.</summary>
public sealed record CertificateWarningBody(int DaysLeft, DateTimeOffset ExpiresAt, string Subject, string Sha256, string Message);
