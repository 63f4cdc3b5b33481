namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Everything the regions wrote for one cycle, as the verdict step reads it (one partition query).
/// </summary>
/// <param name="Decided">The verdict step already decided this minute.</param>
/// <param name="Health">Per region whose own instance finished its cycle.</param>
/// <param name="Outcomes">Per region that wrote outcomes (its own instance or its shards).</param>
public sealed record CycleRecord(
    long Minute,
    bool Decided,
    IReadOnlyDictionary<string, CycleHealth> Health,
    IReadOnlyDictionary<string, IReadOnlyList<ProbeOutcome>> Outcomes)
{
    /// <summary>
    /// The regions that reported, in name order: those that finished their cycle, and those whose
    /// shards reported although their own instance did not finish (its canaries are then unknown,
    /// which counts nothing against it). A region with neither is absent and never fails a monitor.
    /// </summary>
    public IReadOnlyList<RegionReport> Reports() =>
        Health.Keys.Union(Outcomes.Where(o => o.Value.Count > 0).Select(o => o.Key), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(region => new RegionReport(
                region,
                Health.TryGetValue(region, out var health) ? health.Canaries : [],
                Outcomes.TryGetValue(region, out var outcomes) ? outcomes : []))
            .ToList();

    /// <summary>
    /// Per monitor that any region probed, the monitor row as the probing regions' scans found it;
    /// null where a region's outcome carries no scan or the regions' scans disagree (a state was
    /// written between them), so only the row itself can tell.
    /// </summary>
    public IReadOnlyDictionary<string, ScannedState?> Scanned()
    {
        var scanned = new Dictionary<string, ScannedState?>(StringComparer.Ordinal);
        foreach (var outcome in Outcomes.Values.SelectMany(o => o))
        {
            scanned[outcome.MonitorId] = scanned.TryGetValue(outcome.MonitorId, out var seen) && seen != outcome.Scanned ? null : outcome.Scanned;
        }

        return scanned;
    }
}
