namespace ServerlessMonitor.Core.Cycle;

/// <summary>What the dnsbl schedule needs of a monitor. <see cref="Regions"/>: its own, or the deployment's.</summary>
public sealed record DnsblPlan(string MonitorId, int IntervalMinutes, IReadOnlyList<string> Regions, bool Paused, long CreatedMinute, bool Rechecking, int RecheckMinutes);
