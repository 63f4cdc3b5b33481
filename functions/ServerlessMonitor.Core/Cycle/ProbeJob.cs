using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>What probing needs of a monitor, and what its scan found for the verdict step; a shard message carries exactly this.</summary>
public sealed record ProbeJob(string MonitorId, ProbeType Type, string Target, int TimeoutSeconds, ProbeExpect Expect)
{
    /// <summary>The row as the cycle's scan found it, for the verdict step; null when unknown (the verdict step then reads the row).</summary>
    public ScannedState? Scanned { get; init; }

    public static ProbeJob Of(ScheduledMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        return new ProbeJob(monitor.Id, monitor.Type, monitor.Target, monitor.TimeoutSeconds, monitor.Expect) { Scanned = ScannedState.Of(monitor) };
    }

    /// <summary>The probe, its timeout cut to what is left before the cycle's deadline.</summary>
    public ProbeSpec Spec(TimeSpan left) => new(Type, Target, Expect) { Timeout = TimeSpan.FromSeconds(TimeoutSeconds) < left ? TimeSpan.FromSeconds(TimeoutSeconds) : left };
}
