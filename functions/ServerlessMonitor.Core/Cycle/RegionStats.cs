namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// A region's counts in one cycle: what GET /api/regions shows and what its trust was judged on.
/// </summary>
/// <param name="Probes">Monitors the region probed.</param>
/// <param name="Failures">Of those, how many failed.</param>
/// <param name="LocalFaults">Failures that say nothing about their target (<see cref="ServerlessMonitor.Core.Probes.ProbeError.IsLocalFault"/>).</param>
/// <param name="Canaries">Canary checks the region made.</param>
/// <param name="CanaryFailures">Of those, how many failed.</param>
/// <param name="ReachedElsewhere">Monitors it probed that another region whose canaries answered reached.</param>
/// <param name="FailedWhereReachedElsewhere">Of those, how many it failed.</param>
public sealed record RegionStats(
    int Probes,
    int Failures,
    int LocalFaults,
    int Canaries,
    int CanaryFailures,
    int ReachedElsewhere,
    int FailedWhereReachedElsewhere)
{
    /// <summary>
    /// Failures that could be ours, canaries included, over all checks: the TypeScript app's
    /// errorRate, kept for GET /api/regions. Trust no longer rests on it: a provider going dark
    /// makes it high in every region while the canaries answer.
    /// </summary>
    public double ErrorRate => Probes + Canaries == 0 ? 0 : (LocalFaults + CanaryFailures) / (double)(Probes + Canaries);

    /// <summary>Share of what other regions reached that this one failed.</summary>
    public double DisagreementRate => ReachedElsewhere == 0 ? 0 : FailedWhereReachedElsewhere / (double)ReachedElsewhere;
}
