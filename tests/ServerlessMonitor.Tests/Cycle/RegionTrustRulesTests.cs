using ServerlessMonitor.Core.Cycle;
using static ServerlessMonitor.Tests.Cycle.Reports;

namespace ServerlessMonitor.Tests.Cycle;

public sealed class RegionTrustRulesTests
{
    [Fact]
    public void Local_faults_are_counted_for_the_region_stats_but_do_not_distrust_a_region_whose_canaries_answer()
    {
        // The TypeScript rule made the resolver case abnormal on its own: 20 local faults of 22
        // checks. Now the canaries speak for the region's network, and nobody else reached
        // those targets.
        foreach (var error in new[] { Refused, Status503, Resolver, Isolated, ConnectTimeout })
        {
            var trust = RegionTrustRules.Assess([Region("eu", Many("m", 20, id => Failed(id, error)))]).Single();
            Assert.True(trust.Trusted, trust.Reason);
        }

        var stats = RegionTrustRules.Assess([Region("eu", Many("m", 20, id => Failed(id, Isolated)).Concat(Many("ok", 20, Ok)))]).Single().Stats;
        Assert.Equal((40, 20, 20, 2, 0), (stats.Probes, stats.Failures, stats.LocalFaults, stats.Canaries, stats.CanaryFailures));
        Assert.Equal(20 / 42.0, stats.ErrorRate, 10);
        Assert.Equal(0, RegionTrustRules.Assess([Region("eu", Many("m", 20, id => Failed(id, Refused)))]).Single().Stats.LocalFaults);
        Assert.Equal(20, RegionTrustRules.Assess([Region("eu", Many("m", 20, id => Failed(id, Resolver)))]).Single().Stats.LocalFaults);
    }

    [Fact]
    public void A_region_that_reported_nothing_has_zero_rates_and_is_trusted()
    {
        var trust = RegionTrustRules.Assess([new RegionReport("eu", [], [])]).Single();
        Assert.Equal((0.0, 0.0), (trust.Stats.ErrorRate, trust.Stats.DisagreementRate));
        Assert.True(trust.Trusted);
        Assert.Equal("no canary checks reported; failed 0 of 0 targets other regions reached (0%)", trust.Reason);
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(1, 1, true)]
    [InlineData(1, 2, false)]
    [InlineData(2, 3, true)]
    [InlineData(1, 3, false)]
    [InlineData(2, 2, true)]
    public void Canaries_fail_when_more_than_half_of_them_failed(int failed, int count, bool canariesFailed)
    {
        var canaries = Enumerable.Range(0, count).Select(i => new CanaryCheck($"c{i}:53", i < failed ? Isolated : null)).ToList();
        Assert.Equal(canariesFailed, RegionTrustRules.CanariesFailed(canaries));
    }

    [Theory]
    [InlineData(4, 4, true)] // 100 %, but four targets are noise
    [InlineData(5, 20, false)] // five, and exactly a quarter
    [InlineData(5, 21, true)] // five, just under a quarter
    [InlineData(30, 200, true)] // 15 %: a few hard-to-reach targets, not lost routes
    [InlineData(50, 200, false)] // a quarter of what others reach
    public void Failing_what_others_reach_distrusts_from_five_targets_and_a_quarter(int failed, int reachedElsewhere, bool trusted)
    {
        var shared = Many("m", reachedElsewhere, Ok).ToList();
        var trust = RegionTrustRules.Assess(
        [
            Region("eu", shared.Select((o, i) => i < failed ? Failed(o.MonitorId, Refused) : o)),
            Region("us", shared),
        ]);
        Assert.Equal(trusted, trust[0].Trusted);
        Assert.Equal(failed, trust[0].Stats.FailedWhereReachedElsewhere);
        Assert.Equal(reachedElsewhere, trust[0].Stats.ReachedElsewhere);
    }

    [Fact]
    public void Only_regions_whose_canaries_answered_are_held_up_as_reaching_a_target()
    {
        // asia reached what eu failed, but asia's own network is in doubt this cycle.
        var shared = Many("m", 20, Ok).ToList();
        var trust = RegionTrustRules.Assess(
        [
            Region("eu", shared.Select(o => Failed(o.MonitorId, ConnectTimeout))),
            Region("asia", shared, canariesUp: false),
        ]);
        Assert.True(trust[0].Trusted, trust[0].Reason);
        Assert.Equal(0, trust[0].Stats.ReachedElsewhere);
    }

    [Fact]
    public void Targets_nobody_else_reached_do_not_count_against_a_region()
    {
        var trust = RegionTrustRules.Assess(
        [
            Region("eu", Many("dark", 30, id => Failed(id, ConnectTimeout)).Concat(Many("up", 30, Ok))),
            Region("us", Many("dark", 30, id => Failed(id, HostUnreachable)).Concat(Many("up", 30, Ok))),
        ]);
        Assert.All(trust, t => Assert.True(t.Trusted, t.Reason));
        Assert.All(trust, t => Assert.Equal((30, 0), (t.Stats.ReachedElsewhere, t.Stats.FailedWhereReachedElsewhere)));
    }

    [Fact]
    public void When_every_region_whose_canaries_answered_fails_what_another_reaches_they_all_keep_their_say()
    {
        // eu and us each lost routes the other has: neither is a sound yardstick for the other,
        // and distrusting both would hide a target that is down from everywhere.
        RegionReport[] reports =
        [
            Region("eu", Many("a", 10, id => Failed(id, ConnectTimeout)).Concat(Many("b", 10, Ok)).Append(Failed("down", Refused))),
            Region("us", Many("a", 10, Ok).Concat(Many("b", 10, id => Failed(id, ConnectTimeout))).Append(Failed("down", Refused))),
            Region("asia", Many("a", 10, Ok), canariesUp: false),
        ];
        var trust = RegionTrustRules.Assess(reports);
        Assert.Equal([TrustStatus.Trusted, TrustStatus.Trusted, TrustStatus.CanariesFailed], trust.Select(t => t.Status));
        Assert.Equal((10, 10), (trust[0].Stats.ReachedElsewhere, trust[0].Stats.FailedWhereReachedElsewhere));
        Assert.EndsWith("; abnormal, but so is every region whose canaries answered: there is none to hold it against", trust[0].Reason);
        Assert.Equal(VerdictOutcome.Fail, VerdictOf(VerdictRules.Decide(1, reports), "down").Outcome);
    }
}
