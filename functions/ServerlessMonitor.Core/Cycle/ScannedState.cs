using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// The monitor row as the probe cycle's scan found it, carried with the job and its outcome to
/// the verdict step: what the verdict is compared with, so an unchanged monitor costs the
/// verdict step no storage request (<see cref="MonitorStates"/>).
/// </summary>
/// <param name="WarnedSha256">The certificate last warned about, if any (<see cref="Alerts.CertificateNotices"/>).</param>
/// <param name="WarnedDaysLeft">Its days left at the last count.</param>
public sealed record ScannedState(MonitorState State, string? WarnedSha256 = null, int? WarnedDaysLeft = null)
{
    public static ScannedState Of(ScheduledMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        return new ScannedState(monitor.State, monitor.WarnedSha256, monitor.WarnedDaysLeft);
    }
}
