using System.Globalization;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Which regions' failures count in a cycle (DESIGN.md, Decide). A region is untrusted when its
/// own connectivity is in doubt, and only then:
/// <list type="bullet">
/// <item>its canaries fail: more than half of its canary checks failed (one flaky canary of
/// three is that canary's trouble, not the region's), or</item>
/// <item>it fails what others reach: of the monitors it probed that another region whose
/// canaries answered reached in the same cycle, it failed at least
/// <see cref="AbnormalMinimumFailures"/> and at least <see cref="AbnormalShare"/> of them.</item>
/// </list>
/// A region that reported no canary checks (its shards reported, its own instance did not) has
/// nothing against it from canaries. The class of a failure plays no part. A connect timeout on a customer's target says nothing
/// against a region whose canaries answer: targets failing from every region are down (one
/// provider going dark), and the TypeScript rule that counted such failures against the region
/// turned six dark targets into every region untrusted and no incident at all.
/// </summary>
public static class RegionTrustRules
{
    /// <summary>
    /// Normal disagreement between healthy regions is a few percent (a geo-blocked target, a
    /// transient timeout); a region that fails a quarter of what others reach has lost routes
    /// (a peering link, a provider), even with its canaries answering.
    /// </summary>
    public const double AbnormalShare = 0.25;

    /// <summary>
    /// Below this many, disagreement is noise: with a handful of monitors one geo-blocked
    /// target would be a large share. The canaries speak for such regions.
    /// </summary>
    public const int AbnormalMinimumFailures = 5;

    public static bool CanariesFailed(IReadOnlyList<CanaryCheck> canaries) =>
        canaries.Count(c => !c.Ok) * 2 > canaries.Count;

    public static IReadOnlyList<RegionTrust> Assess(IReadOnlyList<RegionReport> reports) => Assess(new CycleView(reports));

    internal static IReadOnlyList<RegionTrust> Assess(CycleView cycle)
    {
        var witnesses = cycle.Reports.Where(r => !CanariesFailed(r.Canaries)).Select(r => r.Region).ToHashSet(StringComparer.Ordinal);
        var reachedBy = ReachedBy(cycle, witnesses);
        var stats = cycle.Reports.ToDictionary(r => r.Region, r => StatsOf(r, cycle.OutcomesOf(r.Region), reachedBy), StringComparer.Ordinal);
        var disagreeing = witnesses.Where(region => Abnormal(stats[region])).ToHashSet(StringComparer.Ordinal);

        // When every region whose canaries answered fails what another reaches, there is no
        // sound region to hold them against, and distrusting them all would silence a real
        // outage: they all keep their say.
        var nobodyToCompareWith = disagreeing.Count == witnesses.Count;
        return cycle.Reports.Select(r => Judge(r, stats[r.Region], disagreeing.Contains(r.Region), nobodyToCompareWith)).ToList();
    }

    private static RegionTrust Judge(RegionReport report, RegionStats stats, bool disagrees, bool nobodyToCompareWith)
    {
        if (CanariesFailed(report.Canaries))
        {
            return new RegionTrust(report.Region, TrustStatus.CanariesFailed, stats, CanaryFailure(report.Canaries));
        }

        if (disagrees && !nobodyToCompareWith)
        {
            return new RegionTrust(report.Region, TrustStatus.FailsWhatOthersReach, stats, $"{Disagreement(stats)}: untrusted from {AbnormalMinimumFailures} and {Percent(AbnormalShare)}");
        }

        var canaries = report.Canaries.Count == 0 ? "no canary checks reported" : "canaries answered";
        var standing = disagrees ? "; abnormal, but so is every region whose canaries answered: there is none to hold it against" : string.Empty;
        return new RegionTrust(report.Region, TrustStatus.Trusted, stats, $"{canaries}; {Disagreement(stats)}{standing}");
    }

    /// <summary>Per monitor, the witnesses that got a satisfactory answer.</summary>
    private static Dictionary<string, List<string>> ReachedBy(CycleView cycle, HashSet<string> witnesses)
    {
        var reachedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var monitorId in cycle.Monitors)
        {
            reachedBy[monitorId] = cycle.ReportsOf(monitorId).Where(r => r.Outcome.Ok && witnesses.Contains(r.Region)).Select(r => r.Region).ToList();
        }

        return reachedBy;
    }

    private static RegionStats StatsOf(RegionReport report, IReadOnlyDictionary<string, ProbeOutcome> outcomes, Dictionary<string, List<string>> reachedBy)
    {
        var comparable = outcomes.Values.Where(o => reachedBy[o.MonitorId].Any(region => region != report.Region)).ToList();
        return new RegionStats(
            Probes: outcomes.Count,
            Failures: outcomes.Values.Count(o => !o.Ok),
            LocalFaults: outcomes.Values.Count(o => o.Error is { IsLocalFault: true }),
            Canaries: report.Canaries.Count,
            CanaryFailures: report.Canaries.Count(c => !c.Ok),
            ReachedElsewhere: comparable.Count,
            FailedWhereReachedElsewhere: comparable.Count(o => !o.Ok));
    }

    private static bool Abnormal(RegionStats stats) =>
        stats.FailedWhereReachedElsewhere >= AbnormalMinimumFailures && stats.DisagreementRate >= AbnormalShare;

    private static string CanaryFailure(IReadOnlyList<CanaryCheck> canaries)
    {
        var failed = canaries.Select(c => c.Error is { } error ? $"{c.Target} ({Describe.Error(error)})" : null).OfType<string>().ToList();
        return $"{failed.Count} of {canaries.Count} canaries failed: {string.Join(", ", failed)}";
    }

    private static string Disagreement(RegionStats stats) =>
        $"failed {stats.FailedWhereReachedElsewhere} of {stats.ReachedElsewhere} targets other regions reached ({Percent(stats.DisagreementRate)})";

    private static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);
}
