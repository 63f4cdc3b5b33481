using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Core.Uptime;

/// <summary>One UTC day of a monitor's passing probes' total times, per region: its hours' histograms merged.</summary>
public sealed record LatencyDay(DateOnly Day, IReadOnlyDictionary<string, LatencyHistogram> Regions);
