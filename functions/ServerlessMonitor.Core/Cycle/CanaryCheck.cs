using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// One connection a region made to a canary (SM_CANARY_TARGETS): a target that is up whenever
/// the region's own network is, so its failure says the trouble is ours. No error means it answered.
/// </summary>
public sealed record CanaryCheck(string Target, ProbeError? Error)
{
    public bool Ok => Error is null;
}
