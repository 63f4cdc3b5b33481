using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Functions.Results;

/// <summary>One probe result in GET /api/monitors/&lt;id&gt;/results.</summary>
/// <param name="At">When the probe started.</param>
/// <param name="Minute">Start of the scheduled minute of the cycle that ran it.</param>
/// <param name="Phases">Milestones in ms from the probe's start (dns ≤ connect ≤ tls ≤ firstByte ≤ total); null where not reached or not applicable.</param>
/// <param name="Status">HTTP status, or the reply code of a banner protocol.</param>
/// <param name="CertificateWarning">The certificate expires within the monitor's warning window (expect.certificateWarningDays).</param>
/// <param name="Listings">dnsbl: each list's answer; <c>listed</c> null where the list could not be checked.</param>
public sealed record ResultBody(
    DateTimeOffset At,
    DateTimeOffset Minute,
    string Region,
    bool Ok,
    ResultErrorBody? Error,
    ProbePhases Phases,
    int? Status,
    string? RemoteAddress,
    CertificateWarningBody? CertificateWarning,
    IReadOnlyList<DnsblListing>? Listings = null)
{
    public static ResultBody From(CycleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var probe = result.Probe;
        return new ResultBody(
            result.At,
            result.MinuteAt,
            result.Region,
            probe.Ok,
            probe.Error is { } e ? new ResultErrorBody(e.Class, e.Code, e.Message) : null,
            probe.Phases,
            probe.Status,
            probe.RemoteAddress,
            probe.CertificateWarning is { } w ? new CertificateWarningBody(w.DaysLeft, w.ExpiresAt, w.Subject, w.Sha256, w.Message) : null,
            probe.Listings);
    }
}
