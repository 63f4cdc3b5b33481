using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>What one trusted region saw of a failing monitor: why, the status if there was one, and the phases.</summary>
public sealed record RegionFailure(string Region, ProbeError? Error, int? Status, ProbePhases Phases);
