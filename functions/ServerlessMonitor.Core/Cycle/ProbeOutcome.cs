using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// What the verdict step needs of one monitor's probe from one region: whether it passed and, if
/// not, why. No error means a satisfactory answer.
/// </summary>
/// <param name="Certificate">
/// Set when the certificate expires within the monitor's warning window, whether the probe passed
/// or not: the verdict step warns once per certificate (<see cref="Alerts.CertificateNotices"/>).
/// </param>
/// <remarks>
/// <see cref="Scanned"/> is the monitor row as the probing region's scan found it: with it the
/// verdict step knows which states change without reading the monitors.
/// </remarks>
public sealed record ProbeOutcome(string MonitorId, ProbeError? Error, CertificateWarning? Certificate = null)
{
    public bool Ok => Error is null;

    public ScannedState? Scanned { get; init; }
}
