using Microsoft.Azure.Functions.Worker;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Functions.Cycle;

/// <summary>Every minute, in every region: the region's probe cycle (DESIGN.md, Probe).</summary>
public sealed class ProbeCycleFunction(ProbeCycle cycle, CycleTiming timing)
{
    [Function("probe-cycle")]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        cycle.RunAsync(timing.MinuteOfTick(timing.Clock.Now), cancellationToken);
}
