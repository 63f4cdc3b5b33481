using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;
using static ServerlessMonitor.Tests.Cycle.Reports;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The verdict rules over random cycles: up to four regions with healthy, failing or no
/// canaries, each probing a random part of twelve monitors with random outcomes and every
/// class of failure, enough of them for the disagreement rule to bite.
/// </summary>
public sealed class VerdictRulesProperties
{
    private static readonly string[] RegionNames = ["asia", "au", "eu", "us"];
    private static readonly string[] MonitorIds = Enumerable.Range(0, 12).Select(i => $"m{i:D2}").ToArray();
    private static readonly Gen<ProbeError> Error = Gen.Elements(Isolated, HostUnreachable, ConnectTimeout, Refused, Status503, Resolver);

    private static readonly Gen<IReadOnlyList<CanaryCheck>> AnyCanaries =
        Gen.Elements<ProbeError?>(null, null, Isolated).ListOf().Select(errors =>
            (IReadOnlyList<CanaryCheck>)errors.Take(3).Select((error, i) => new CanaryCheck($"c{i}:53", error)).ToList());

    private static readonly Gen<IReadOnlyList<CanaryCheck>> FailingCanaries =
        Gen.Choose(1, 3).Select(count => (IReadOnlyList<CanaryCheck>)Enumerable.Range(0, count).Select(i => new CanaryCheck($"c{i}:53", i == 2 ? null : Isolated)).ToList());

    private static Gen<ProbeOutcome?> Outcome(string monitorId) =>
        Gen.Frequency((2, Gen.Constant<ProbeOutcome?>(null)), (3, Gen.Constant<ProbeOutcome?>(Ok(monitorId))), (3, Error.Select(e => (ProbeOutcome?)Failed(monitorId, e))));

    [Property(MaxTest = 500)]
    public Property A_pass_anywhere_trusted_wins() => Prop.ForAll(Cycles(AnyCanaries).ToArbitrary(), reports =>
    {
        var decision = VerdictRules.Decide(1, reports);
        return reports.Where(r => TrustOf(decision, r.Region).Trusted)
            .SelectMany(r => r.Outcomes.Where(o => o.Ok))
            .All(o => VerdictOf(decision, o.MonitorId).Outcome == VerdictOutcome.Pass);
    });

    [Property(MaxTest = 500)]
    public Property A_fail_is_every_trusted_region_that_probed_it_failing() => Prop.ForAll(Cycles(AnyCanaries).ToArbitrary(), reports =>
    {
        var decision = VerdictRules.Decide(1, reports);
        return decision.Verdicts.All(v =>
        {
            var trusted = reports.Where(r => TrustOf(decision, r.Region).Trusted && r.Outcomes.Any(o => o.MonitorId == v.MonitorId)).ToList();
            var everyTrustedFailed = trusted.Count > 0 && trusted.All(r => r.Outcomes.All(o => o.MonitorId != v.MonitorId || !o.Ok));
            return (v.Outcome == VerdictOutcome.Fail) == everyTrustedFailed
                && (v.Outcome != VerdictOutcome.Fail || v.Regions.SequenceEqual(trusted.Select(r => r.Region).Order(StringComparer.Ordinal)));
        });
    });

    [Property(MaxTest = 500)]
    public Property A_region_that_did_not_report_never_fails_a_monitor()
    {
        var cases = from reports in Cycles(AnyCanaries)
                    from canaries in AnyCanaries
                    select (reports, silent: new RegionReport("silent", canaries, []));
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var before = Outcomes(VerdictRules.Decide(1, c.reports));
            var after = VerdictRules.Decide(1, [.. c.reports, c.silent]);
            return after.Verdicts.All(v => v.Outcome != VerdictOutcome.Fail || before[v.MonitorId] == VerdictOutcome.Fail)
                && after.Verdicts.All(v => !v.Regions.Contains("silent"));
        });
    }

    [Property(MaxTest = 500)]
    public Property Targets_failing_from_every_region_while_the_canaries_answer_are_failures()
    {
        var cases = from reports in Cycles(Gen.Constant(Canaries(up: true)))
                    from errors in Gen.ListOf(Error, 6)
                    select reports.Select(r => r with { Outcomes = [.. r.Outcomes, .. errors.Select((e, i) => Failed($"dark{i}", e))] }).ToList();
        return Prop.ForAll(cases.ToArbitrary(), reports =>
        {
            var decision = VerdictRules.Decide(1, reports);
            return !decision.Suppressed
                && Enumerable.Range(0, 6).All(i => VerdictOf(decision, $"dark{i}").Outcome == VerdictOutcome.Fail);
        });
    }

    [Property(MaxTest = 300)]
    public Property When_every_reporting_regions_canaries_fail_the_cycle_is_suppressed_and_opens_no_incident() =>
        Prop.ForAll(Cycles(FailingCanaries).ToArbitrary(), reports =>
        {
            var decision = VerdictRules.Decide(1, reports);
            return decision.Suppressed
                && decision.Regions.All(r => !r.Trusted)
                && decision.Verdicts.All(v => v.Outcome == VerdictOutcome.Suppressed && v.Reason.Contains("canaries fail", StringComparison.Ordinal));
        });

    [Property(MaxTest = 500)]
    public Property Only_then_is_a_cycle_suppressed_and_a_suppressed_cycle_has_no_failure() => Prop.ForAll(Cycles(AnyCanaries).ToArbitrary(), reports =>
    {
        var decision = VerdictRules.Decide(1, reports);
        var allCanariesFailed = reports.All(r => RegionTrustRules.CanariesFailed(r.Canaries));
        return decision.Suppressed == allCanariesFailed
            && (!decision.Suppressed || decision.Verdicts.All(v => v.Outcome == VerdictOutcome.Suppressed));
    });

    [Property(MaxTest = 500)]
    public Property A_region_is_untrusted_only_for_its_canaries_or_its_disagreement_and_never_all_while_canaries_answer() =>
        Prop.ForAll(Cycles(AnyCanaries).ToArbitrary(), reports =>
        {
            var regions = RegionTrustRules.Assess(reports);
            var someCanariesAnswered = reports.Any(r => !RegionTrustRules.CanariesFailed(r.Canaries));
            return regions.Zip(reports).All(pair =>
                    (pair.First.Status == TrustStatus.CanariesFailed) == RegionTrustRules.CanariesFailed(pair.Second.Canaries)
                    && (pair.First.Status != TrustStatus.FailsWhatOthersReach
                        || (pair.First.Stats.FailedWhereReachedElsewhere >= RegionTrustRules.AbnormalMinimumFailures
                            && pair.First.Stats.DisagreementRate >= RegionTrustRules.AbnormalShare)))
                && (!someCanariesAnswered || regions.Any(r => r.Trusted));
        });

    [Property(MaxTest = 300)]
    public Property Every_verdict_and_region_says_why() => Prop.ForAll(Cycles(AnyCanaries).ToArbitrary(), reports =>
    {
        var decision = VerdictRules.Decide(1, reports);
        return decision.Verdicts.All(v => v.Reason.Length > 0) && decision.Regions.All(r => r.Reason.Length > 0);
    });

    /// <summary>One to four distinct regions, each probing a random part of the monitors.</summary>
    private static Gen<List<RegionReport>> Cycles(Gen<IReadOnlyList<CanaryCheck>> canaries)
    {
        var outcomes = Gen.CollectToSequence(MonitorIds, Outcome)
            .Select(list => (IReadOnlyList<ProbeOutcome>)list.OfType<ProbeOutcome>().ToList());
        var region = canaries.Zip(outcomes);
        return from count in Gen.Choose(1, RegionNames.Length)
               from names in Gen.Shuffle(RegionNames)
               from regions in Gen.ListOf(region, count)
               select names.Take(count).Zip(regions, (name, r) => new RegionReport(name, r.Item1, r.Item2)).ToList();
    }
}
