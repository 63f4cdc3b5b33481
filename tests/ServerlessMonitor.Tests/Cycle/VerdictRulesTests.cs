using ServerlessMonitor.Core.Cycle;
using static ServerlessMonitor.Tests.Cycle.Reports;

namespace ServerlessMonitor.Tests.Cycle;

public sealed class VerdictRulesTests
{
    [Fact]
    public void Passes_when_a_trusted_region_passed()
    {
        var decision = VerdictRules.Decide(1, [Region("eu", [Failed("m", Refused)]), Region("us", [Ok("m")])]);
        var verdict = VerdictOf(decision, "m");
        Assert.Equal(VerdictOutcome.Pass, verdict.Outcome);
        Assert.Equal(["us"], verdict.Regions);
        Assert.Equal("answered from us; failed from eu (connect ECONNREFUSED)", verdict.Reason);
    }

    [Fact]
    public void Fails_when_every_trusted_region_that_reported_failed_and_a_region_that_did_not_report_is_absent()
    {
        // asia did not report: it is in no report, so it cannot fail the monitor nor save it.
        var decision = VerdictRules.Decide(1, [Region("eu", [Failed("m", Refused)]), Region("us", [Failed("m", Status503)])]);
        var verdict = VerdictOf(decision, "m");
        Assert.Equal(VerdictOutcome.Fail, verdict.Outcome);
        Assert.Equal(["eu", "us"], verdict.Regions);
        Assert.Equal("failed from every trusted region that probed it: eu (connect ECONNREFUSED), us (status HTTP 503)", verdict.Reason);
        Assert.Equal(["eu", "us"], decision.Regions.Select(r => r.Region));
    }

    [Fact]
    public void Six_targets_going_dark_together_while_the_canaries_answer_are_six_failures()
    {
        // The TypeScript bug: one provider's network down, its six targets time out or are
        // unreachable from every region. Those failures "could be ours" by class, so every
        // region turned untrusted, the cycle was suppressed, and no incident ever opened.
        var dark = new[] { ConnectTimeout, HostUnreachable, Isolated, ConnectTimeout, HostUnreachable, ConnectTimeout };
        var outcomes = dark.Select((error, i) => Failed($"dark{i}", error)).Concat(Many("up", 4, Ok)).ToList();
        var decision = VerdictRules.Decide(1, [Region("asia", outcomes), Region("eu", outcomes), Region("us", outcomes)]);

        Assert.False(decision.Suppressed);
        Assert.All(decision.Regions, r => Assert.True(r.Trusted, r.Reason));
        Assert.All(Enumerable.Range(0, 6), i => Assert.Equal(VerdictOutcome.Fail, VerdictOf(decision, $"dark{i}").Outcome));
        Assert.Equal(["asia", "eu", "us"], VerdictOf(decision, "dark0").Regions);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(VerdictOutcome.Pass, VerdictOf(decision, $"up{i:D3}").Outcome));
    }

    [Fact]
    public void Many_targets_dark_from_every_region_are_failures_however_many_and_whatever_the_class()
    {
        // Nothing but dark targets: the region's failure rate is 100 %, all of it "local" by class.
        var outcomes = Many("dark", 60, id => Failed(id, id.EndsWith('0') ? Resolver : ConnectTimeout)).ToList();
        var decision = VerdictRules.Decide(1, [Region("eu", outcomes), Region("us", outcomes), Region("asia", outcomes)]);
        Assert.False(decision.Suppressed);
        Assert.All(decision.Verdicts, v => Assert.Equal(VerdictOutcome.Fail, v.Outcome));
    }

    [Fact]
    public void An_HTTP_503_from_every_region_is_an_outage()
    {
        var decision = VerdictRules.Decide(1, new[] { "eu", "us", "asia" }.Select(r => Region(r, [Failed("m", Status503)])).ToList());
        Assert.Equal(new Dictionary<string, VerdictOutcome> { ["m"] = VerdictOutcome.Fail }, Outcomes(decision));
        Assert.False(decision.Suppressed);
    }

    [Fact]
    public void When_every_reporting_regions_canaries_fail_every_verdict_is_suppressed_and_says_why()
    {
        // Even a 503 the target itself answered: the TypeScript rule still failed it here, and
        // so a cycle DESIGN.md says is suppressed could open an incident.
        var decision = VerdictRules.Decide(1,
        [
            Region("eu", [Failed("a", Isolated), Failed("b", Status503), Ok("c")], canariesUp: false),
            Region("us", [Failed("a", Isolated), Failed("b", Status503)], canariesUp: false),
        ]);

        Assert.True(decision.Suppressed);
        Assert.Equal("every region that reported had its canaries fail (eu, us), so no failure can be told from our own network trouble", decision.SuppressionReason);
        Assert.All(decision.Regions, r => Assert.Equal(TrustStatus.CanariesFailed, r.Status));
        Assert.All(decision.Verdicts, v =>
        {
            Assert.Equal(VerdictOutcome.Suppressed, v.Outcome);
            Assert.Empty(v.Regions);
            Assert.Equal($"suppressed: {decision.SuppressionReason}", v.Reason);
        });
        Assert.Equal(["a", "b", "c"], decision.Verdicts.Select(v => v.MonitorId));
    }

    [Fact]
    public void A_region_whose_canaries_fail_is_discounted_while_the_others_decide()
    {
        var decision = VerdictRules.Decide(1,
        [
            Region("eu", [Ok("m"), Failed("n", Refused)]),
            Region("us", [Ok("m"), Failed("n", Refused)]),
            Region("asia", [Failed("m", Isolated), Ok("n")], canariesUp: false),
        ]);

        Assert.Equal([("eu", true), ("us", true), ("asia", false)], decision.Regions.Select(r => (r.Region, r.Trusted)));
        Assert.Equal("2 of 2 canaries failed: storage:443 (connect ENETUNREACH), 1.1.1.1:53 (connect ENETUNREACH)", TrustOf(decision, "asia").Reason);
        Assert.False(decision.Suppressed);
        Assert.Equal(VerdictOutcome.Pass, VerdictOf(decision, "m").Outcome);
        var n = VerdictOf(decision, "n");
        Assert.Equal(VerdictOutcome.Fail, n.Outcome);
        Assert.Equal(["eu", "us"], n.Regions);
        Assert.EndsWith("; not counted: asia (its canaries failed)", n.Reason);
    }

    [Fact]
    public void A_region_whose_canaries_fail_causes_no_failure_and_a_trusted_failure_still_counts()
    {
        var onlyIsolatedFailed = VerdictRules.Decide(1, [Region("eu", [Failed("m", Refused)]), Region("asia", [Failed("m", Isolated)], canariesUp: false)]);
        Assert.Equal(VerdictOutcome.Fail, VerdictOf(onlyIsolatedFailed, "m").Outcome);
        Assert.Equal(["eu"], VerdictOf(onlyIsolatedFailed, "m").Regions);
    }

    [Fact]
    public void A_monitor_only_untrusted_regions_probed_is_unknown()
    {
        var decision = VerdictRules.Decide(1, [Region("eu", [Ok("shared")]), Region("asia", [Ok("shared"), Failed("asia-only", Isolated)], canariesUp: false)]);
        var verdict = VerdictOf(decision, "asia-only");
        Assert.Equal(VerdictOutcome.Unknown, verdict.Outcome);
        Assert.Empty(verdict.Regions);
        Assert.Equal("no trusted region probed it; not counted: asia (its canaries failed)", verdict.Reason);
    }

    [Fact]
    public void A_region_that_fails_what_others_reach_at_an_abnormal_rate_is_untrusted()
    {
        // eu's canaries answer (they sit next to it) but it has lost its routes to most of the
        // internet: it fails 30 targets that us reached, and with them one only it probes.
        var common = Many("m", 40, Ok).ToList();
        var decision = VerdictRules.Decide(1,
        [
            Region("eu", common.Select((o, i) => i < 30 ? Failed(o.MonitorId, ConnectTimeout) : o).Append(Failed("eu-only", ConnectTimeout))),
            Region("us", common),
        ]);

        var eu = TrustOf(decision, "eu");
        Assert.Equal(TrustStatus.FailsWhatOthersReach, eu.Status);
        Assert.Equal((40, 30), (eu.Stats.ReachedElsewhere, eu.Stats.FailedWhereReachedElsewhere));
        Assert.Equal("failed 30 of 40 targets other regions reached (75%): untrusted from 5 and 25%", eu.Reason);
        Assert.True(TrustOf(decision, "us").Trusted);
        Assert.False(decision.Suppressed);
        Assert.Equal(VerdictOutcome.Unknown, VerdictOf(decision, "eu-only").Outcome);
        Assert.Equal("no trusted region probed it; not counted: eu (it failed what other regions reached)", VerdictOf(decision, "eu-only").Reason);
        Assert.All(common, o => Assert.Equal(VerdictOutcome.Pass, VerdictOf(decision, o.MonitorId).Outcome));
    }

    [Fact]
    public void Verdicts_come_in_monitor_order_and_regions_in_report_order()
    {
        var decision = VerdictRules.Decide(7, [Region("us", [Ok("b"), Ok("a")]), Region("eu", [Ok("c")])]);
        Assert.Equal(7, decision.Minute);
        Assert.Equal(["a", "b", "c"], decision.Verdicts.Select(v => v.MonitorId));
        Assert.Equal(["us", "eu"], decision.Regions.Select(r => r.Region));
    }

    [Fact]
    public void A_monitor_a_region_reported_twice_counts_once_and_passes_if_either_probe_passed()
    {
        var decision = VerdictRules.Decide(1, [Region("eu", [Failed("m", ConnectTimeout), Ok("m")])]);
        Assert.Equal(VerdictOutcome.Pass, VerdictOf(decision, "m").Outcome);
        Assert.Equal((1, 0), (decision.Regions[0].Stats.Probes, decision.Regions[0].Stats.Failures));
    }

    [Fact]
    public void No_region_reported_no_verdicts_and_nothing_suppressed()
    {
        var decision = VerdictRules.Decide(1, []);
        Assert.Empty(decision.Verdicts);
        Assert.Empty(decision.Regions);
        Assert.False(decision.Suppressed);
    }

    [Fact]
    public void Refuses_a_region_that_reported_twice()
    {
        Assert.Throws<ArgumentException>(() => VerdictRules.Decide(1, [Region("eu", [Ok("m")]), Region("eu", [Ok("n")])]));
    }
}
