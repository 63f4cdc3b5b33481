namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// The JSON body of a certificate warning to a webhook (docs/WEBHOOKS.md): <c>{type:
/// "certificate.expiring", monitor:{id, name, type, target}, certificate:{subject, expiresAt,
/// daysLeft, sha256, warningDays}, at, subject, text}</c>.
/// </summary>
public sealed record WebhookCertificatePayload(
    string Type,
    AlertedMonitor Monitor,
    WebhookCertificatePayload.CertificatePart Certificate,
    DateTimeOffset At,
    string Subject,
    string Text)
{
    public const string CertificateExpiring = "certificate.expiring";

    /// <param name="WarningDays">The monitor's warning window (<c>expect.certificateWarningDays</c>).</param>
    public sealed record CertificatePart(string Subject, DateTimeOffset ExpiresAt, int DaysLeft, string Sha256, int WarningDays);
}
