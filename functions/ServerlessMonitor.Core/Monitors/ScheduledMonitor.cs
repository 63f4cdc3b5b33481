using Azure;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// What the probe cycle and the verdict step read of every monitor each minute: enough to decide
/// whether it is due, to probe it and to record what was decided, nothing more (the scan selects
/// only these columns).
/// </summary>
/// <param name="ETag">The monitor row's version, for the cycle's conditional state write.</param>
public sealed record ScheduledMonitor(
    string Id,
    ProbeType Type,
    string Target,
    int IntervalMinutes,
    int TimeoutSeconds,
    ProbeExpect Expect,
    IReadOnlyList<string>? Regions,
    bool Paused,
    MonitorState State,
    DateTimeOffset CreatedAt,
    ETag ETag)
{
    /// <summary>
    /// The thumbprint of the certificate last warned about, if any: with it the verdict step knows
    /// from the scan alone whether a certificate warning is news (<see cref="Alerts.CertificateNotices"/>).
    /// </summary>
    public string? WarnedSha256 { get; init; }

    /// <summary>The days left that <see cref="WarnedSha256"/> had at the last count.</summary>
    public int? WarnedDaysLeft { get; init; }
}
