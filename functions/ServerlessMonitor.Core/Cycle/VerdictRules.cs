using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// The verdict across regions (DESIGN.md, Decide), pure: what the regions reported in one cycle
/// → each region's standing and one verdict per monitor.
/// <list type="bullet">
/// <item>pass if a trusted region got a satisfactory answer;</item>
/// <item>fail if every trusted region that probed it failed, whatever the class of failure;</item>
/// <item>unknown if only untrusted regions probed it;</item>
/// <item>unknown if every check learnt nothing (a dnsbl check that could reach no list,
/// <see cref="DnsblOutcome.IsNoInformation"/>): such a report is neither a pass nor a failure;</item>
/// <item>suppressed, every verdict, when every reporting region's canaries failed: the trouble
/// is ours, so the cycle opens no incident (there is no fail in it).</item>
/// </list>
/// Regions that did not report are absent and never cause a failure.
/// </summary>
public static class VerdictRules
{
    public static CycleDecision Decide(long minute, IReadOnlyList<RegionReport> reports)
    {
        var cycle = new CycleView(reports);
        var regions = RegionTrustRules.Assess(cycle);
        var suppression = SuppressionOf(regions);
        var trust = regions.ToDictionary(r => r.Region, StringComparer.Ordinal);
        var verdicts = cycle.Monitors
            .Select(monitorId => suppression is null
                ? Judge(monitorId, cycle.ReportsOf(monitorId), trust)
                : new MonitorVerdict(monitorId, VerdictOutcome.Suppressed, [], $"suppressed: {suppression}"))
            .Select(verdict => verdict with { Minute = minute })
            .ToList();
        return new CycleDecision(minute, regions, verdicts, suppression);
    }

    private static string? SuppressionOf(IReadOnlyList<RegionTrust> regions) =>
        regions.Count > 0 && regions.All(r => r.Status == TrustStatus.CanariesFailed)
            ? $"every region that reported had its canaries fail ({string.Join(", ", Sorted(regions.Select(r => r.Region)))}), so no failure can be told from our own network trouble"
            : null;

    private static MonitorVerdict Judge(string monitorId, IReadOnlyList<(string Region, ProbeOutcome Outcome)> all, Dictionary<string, RegionTrust> trust)
    {
        var reports = all.Where(r => !DnsblOutcome.IsNoInformation(r.Outcome.Error)).ToList();
        if (reports.Count == 0 && all.Count > 0)
        {
            return new MonitorVerdict(monitorId, VerdictOutcome.Unknown, [], $"no list could be checked from {string.Join(", ", Sorted(all.Select(r => r.Region)))}: {DnsblOutcome.NoInformation}");
        }

        var counted = reports.Where(r => trust[r.Region].Trusted).OrderBy(r => r.Region, StringComparer.Ordinal).ToList();
        var answered = counted.Where(r => r.Outcome.Ok).Select(r => r.Region).ToList();
        var failures = counted.Select(r => r.Outcome.Error is { } error ? $"{r.Region} ({Describe.Error(error)})" : null).OfType<string>().ToList();

        if (answered.Count > 0)
        {
            var alsoFailed = failures.Count > 0 ? $"; failed from {string.Join(", ", failures)}" : string.Empty;
            return new MonitorVerdict(monitorId, VerdictOutcome.Pass, answered, $"answered from {string.Join(", ", answered)}{alsoFailed}");
        }

        var notCounted = NotCounted(reports, trust);
        if (counted.Count > 0)
        {
            return new MonitorVerdict(monitorId, VerdictOutcome.Fail, counted.Select(r => r.Region).ToList(), $"failed from every trusted region that probed it: {string.Join(", ", failures)}{notCounted}");
        }

        return new MonitorVerdict(monitorId, VerdictOutcome.Unknown, [], $"no trusted region probed it{notCounted}");
    }

    private static string NotCounted(IReadOnlyList<(string Region, ProbeOutcome Outcome)> reports, Dictionary<string, RegionTrust> trust)
    {
        var untrusted = reports.Where(r => !trust[r.Region].Trusted).Select(r => $"{r.Region} ({Standing(trust[r.Region].Status)})").Order(StringComparer.Ordinal).ToList();
        return untrusted.Count == 0 ? string.Empty : $"; not counted: {string.Join(", ", untrusted)}";
    }

    private static string Standing(TrustStatus status) => status switch
    {
        TrustStatus.CanariesFailed => "its canaries failed",
        TrustStatus.FailsWhatOthersReach => "it failed what other regions reached",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "a trusted region is counted"),
    };

    private static List<string> Sorted(IEnumerable<string> regions) => regions.Order(StringComparer.Ordinal).ToList();
}
