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

    /// <summary>
    /// The probe, its timeout cut to what is left before the cycle's deadline. A dnsbl block gets
    /// all that is left: its queries are paced per list (256 addresses at 10 a second take 26 s),
    /// and whatever a list has not answered by then counts as could-not-check.
    /// </summary>
    public ProbeSpec Spec(TimeSpan left)
    {
        var own = TimeSpan.FromSeconds(TimeoutSeconds);
        var block = Type == ProbeType.Dnsbl && Target.Contains('/', StringComparison.Ordinal);
        return new(Type, Target, Expect) { Timeout = block || left < own ? left : own };
    }
}
