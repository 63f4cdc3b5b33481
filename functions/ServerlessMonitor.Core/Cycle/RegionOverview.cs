using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Watching ourselves (issue 13, item 4): every region's latest standing and heartbeat, and the
/// verdict step's mark, judged against the scheduling clock. What GET /api/regions and
/// GET /api/health show, what the verdict step reports on and the other regions check.
/// </summary>
public sealed class RegionOverview(CycleStore cycles, RegionStore regions, CycleTiming timing, MonitorConfig config)
{
    /// <summary>
    /// A region's timer runs every minute; three missed runs are not a slow instance or a
    /// restart but a region (or verdict step) that stopped.
    /// </summary>
    public const int SilentAfterMinutes = 3;

    /// <summary>One entry per configured region, in configuration order.</summary>
    public async Task<IReadOnlyList<RegionStatus>> RegionsAsync(CancellationToken cancellationToken)
    {
        var latest = cycles.LatestAsync(cancellationToken);
        var beats = await regions.HeartbeatsAsync(cancellationToken).ConfigureAwait(false);
        var standing = await latest.ConfigureAwait(false);
        return config.Regions
            .Select(name =>
            {
                var beat = beats.GetValueOrDefault(name)?.At;
                return new RegionStatus(name, standing.GetValueOrDefault(name), beat, IsSilent(beat));
            })
            .ToList();
    }

    public async Task<VerdictStatus> VerdictAsync(CancellationToken cancellationToken)
    {
        var mark = await regions.VerdictMarkAsync(cancellationToken).ConfigureAwait(false);
        return new VerdictStatus(mark, IsSilent(mark?.At));
    }

    // A deployment that never ran a cycle is silent too: a region that never beat is not alive.
    private bool IsSilent(DateTimeOffset? last) => last is not { } at || timing.Clock.Now - at > timing.Minutes(SilentAfterMinutes);
}
