using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// What the verdict needs of one monitor's probe from one region: whether it passed and, if
/// not, why. No error means a satisfactory answer.
/// </summary>
public sealed record ProbeOutcome(string MonitorId, ProbeError? Error)
{
    public bool Ok => Error is null;
}
