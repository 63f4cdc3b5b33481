using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Each cycle a region connects to its canaries (SM_CANARY_TARGETS): targets that are up whenever
/// the region's own network is, so their failure says the trouble is ours (RegionTrustRules).
/// Through the region's own network, like its probes, so a cut region fails them too.
/// </summary>
public sealed class CanaryChecker(IProbeNetwork network, MonitorConfig config, TimeProvider time)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    // Operator-configured, so private addresses (Azurite on loopback, a private endpoint) are fine.
    private readonly Prober prober = new(network, new ProbeOptions { AllowPrivateTargets = true }, time);

    public async Task<IReadOnlyList<CanaryCheck>> CheckAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var left = deadline - time.GetUtcNow();
        var timeout = left < Timeout ? (left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) : Timeout;
        return await Task.WhenAll(config.CanaryTargets.Select(async target =>
        {
            var probe = await prober.ProbeAsync(new ProbeSpec(ProbeType.Tcp, target) { Timeout = timeout }, cancellationToken).ConfigureAwait(false);
            return new CanaryCheck(target, probe.Error);
        })).ConfigureAwait(false);
    }
}
