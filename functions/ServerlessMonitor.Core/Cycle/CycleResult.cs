using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// One probe of one monitor from one region in one cycle: what the cycle writes and the
/// results route reads.
/// </summary>
/// <param name="MinuteAt">Start of the scheduled minute: the cycle's key, whatever the timer's lag.</param>
/// <param name="At">When the probe started.</param>
public sealed record CycleResult(string MonitorId, string Region, DateTimeOffset MinuteAt, DateTimeOffset At, ProbeResult Probe)
{
    public ResultKey Key => new(MonitorId, Region, MinuteAt);

    public ProbeOutcome Outcome => new(MonitorId, Probe.Error, Probe.CertificateWarning);
}
