namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// The regions' reports of one cycle, indexed both ways the rules read them: per region and
/// per monitor. A monitor a region reported twice (a retried shard) counts once, as passed if
/// either probe passed: the target answered.
/// </summary>
internal sealed class CycleView
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, ProbeOutcome>> _byRegion = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<(string Region, ProbeOutcome Outcome)>> _byMonitor = new(StringComparer.Ordinal);

    public CycleView(IReadOnlyList<RegionReport> reports)
    {
        Reports = reports;
        foreach (var report in reports)
        {
            if (!_byRegion.TryAdd(report.Region, Collapse(report.Outcomes)))
            {
                throw new ArgumentException($"region {report.Region} reported twice", nameof(reports));
            }

            foreach (var outcome in _byRegion[report.Region].Values)
            {
                ReportsOfMonitor(outcome.MonitorId).Add((report.Region, outcome));
            }
        }
    }

    public IReadOnlyList<RegionReport> Reports { get; }

    /// <summary>Every monitor some region probed, in ordinal order.</summary>
    public IEnumerable<string> Monitors => _byMonitor.Keys;

    public IReadOnlyDictionary<string, ProbeOutcome> OutcomesOf(string region) => _byRegion[region];

    public IReadOnlyList<(string Region, ProbeOutcome Outcome)> ReportsOf(string monitorId) => _byMonitor[monitorId];

    private List<(string Region, ProbeOutcome Outcome)> ReportsOfMonitor(string monitorId)
    {
        if (!_byMonitor.TryGetValue(monitorId, out var list))
        {
            _byMonitor[monitorId] = list = [];
        }

        return list;
    }

    private static Dictionary<string, ProbeOutcome> Collapse(IReadOnlyList<ProbeOutcome> outcomes)
    {
        var byMonitor = new Dictionary<string, ProbeOutcome>(StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            if (!byMonitor.TryGetValue(outcome.MonitorId, out var seen) || (!seen.Ok && outcome.Ok))
            {
                byMonitor[outcome.MonitorId] = outcome;
            }
        }

        return byMonitor;
    }
}
