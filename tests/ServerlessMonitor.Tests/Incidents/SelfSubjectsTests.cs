using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>
/// Watching ourselves (issue 13, item 4): the rules that turn regions' heartbeats and standings
/// and the verdict step's mark into verdicts about the deployment, the facts its incidents run
/// on, and those incidents under the one policy: the cap, the repeats and the recovery notice.
/// </summary>
public sealed class SelfSubjectsTests
{
    private const long Decided = 29_500_000;
    private const string Operator = "ops@example.com";
    private static readonly DateTimeOffset Beat = DateTimeOffset.Parse("2026-11-30T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly RegionStats Stats = new(10, 0, 0, 2, 0, 0, 0);

    [Theory]
    [InlineData("eu", SelfSubjectKind.RegionSilent, "self-region-eu-silent")]
    [InlineData("us-east-2", SelfSubjectKind.RegionUntrusted, "self-region-us-east-2-untrusted")]
    [InlineData(null, SelfSubjectKind.VerdictStepStopped, "self-verdict-step")]
    public void A_subject_id_names_its_kind_and_region_and_reads_back(string? region, SelfSubjectKind kind, string id)
    {
        var subject = new SelfSubject(kind, region);
        Assert.Equal(id, subject.Id);
        Assert.True(SelfSubject.TryParse(id, out var parsed));
        Assert.Equal(subject, parsed);
    }

    [Theory]
    [InlineData("mabcdefghijklmnopqrst")]
    [InlineData("self-region-EU-silent")]
    [InlineData("self-region--down")]
    [InlineData("self-region-eu-silent-x")]
    [InlineData("self-verdict")]
    [InlineData("")]
    [InlineData(null)]
    public void A_monitor_id_or_anything_else_is_not_a_subject(string? id) =>
        Assert.False(SelfSubject.TryParse(id, out _));

    [Fact]
    public void A_silent_region_fails_its_silent_subject_and_says_nothing_about_its_trust()
    {
        var verdicts = SelfSubjects.OfRegions([Region("eu", silent: true, latest: Decided - 5, trusted: false)], Decided);
        Assert.Equal(
            [(SelfSubject.Silent("eu"), VerdictOutcome.Fail), (SelfSubject.Untrusted("eu"), VerdictOutcome.Unknown)],
            verdicts.Select(v => (v.Subject, v.Outcome)));
        Assert.All(verdicts, v => Assert.Equal(Decided, v.Minute));
        Assert.All(verdicts, v => Assert.Equal(["eu"], v.Regions));
    }

    [Fact]
    public void A_live_region_passes_and_its_trust_is_that_of_the_cycle_just_decided()
    {
        var verdicts = SelfSubjects.OfRegions(
            [
                Region("eu", silent: false, latest: Decided, trusted: true),
                Region("us", silent: false, latest: Decided, trusted: false),
                Region("asia", silent: false, latest: Decided - 1, trusted: false),
            ],
            Decided);
        Assert.Equal(
            [
                (SelfSubject.Silent("eu"), VerdictOutcome.Pass), (SelfSubject.Untrusted("eu"), VerdictOutcome.Pass),
                (SelfSubject.Silent("us"), VerdictOutcome.Pass), (SelfSubject.Untrusted("us"), VerdictOutcome.Fail),
                // Absent from the decided cycle: its last standing is not counted a second time.
                (SelfSubject.Silent("asia"), VerdictOutcome.Pass), (SelfSubject.Untrusted("asia"), VerdictOutcome.Unknown),
            ],
            verdicts.Select(v => (v.Subject, v.Outcome)));
    }

    [Fact]
    public void A_region_that_never_beat_is_a_deployment_still_starting_not_an_incident()
    {
        var verdicts = SelfSubjects.OfRegions([new RegionStatus("eu", null, null, Silent: true)], Decided);
        Assert.All(verdicts, v => Assert.Equal(VerdictOutcome.Unknown, v.Outcome));
    }

    [Fact]
    public void The_verdict_step_fails_when_overdue_passes_when_it_ran_and_is_unknown_before_its_first_run()
    {
        var mark = new VerdictMark("eu", Decided, Beat);
        Assert.Equal(VerdictOutcome.Fail, SelfSubjects.OfVerdictStep(new VerdictStatus(mark, Overdue: true), Decided).Outcome);
        Assert.Equal(VerdictOutcome.Pass, SelfSubjects.OfVerdictStep(new VerdictStatus(mark, Overdue: false), Decided).Outcome);
        Assert.Equal(VerdictOutcome.Unknown, SelfSubjects.OfVerdictStep(new VerdictStatus(null, Overdue: true), Decided).Outcome);
        Assert.Equal(SelfSubject.VerdictStep, SelfSubjects.OfVerdictStep(new VerdictStatus(mark, true), Decided).Subject);
        Assert.Empty(SelfSubjects.OfVerdictStep(new VerdictStatus(mark, true), Decided).Regions);
    }

    [Fact]
    public void The_operator_is_the_one_destination_and_without_an_address_a_subject_is_gone()
    {
        Assert.Equal(MonitorNow.Deleted, SelfSubjects.Facts(SelfSubject.Silent("eu"), null));
        var silent = SelfSubjects.Facts(SelfSubject.Silent("eu"), Operator);
        Assert.Equal(MonitorNowStatus.Active, silent.Status);
        Assert.Equal(0, silent.AlertDelayMinutes);
        Assert.Equal(1, silent.RecoveryPasses);
        Assert.Equal([new DestinationPlan(SelfSubject.OperatorDestination, 0, SelfSubject.RepeatMinutes)], silent.Destinations);
        Assert.Equal(SelfSubject.UntrustedCycles, SelfSubjects.Facts(SelfSubject.Untrusted("eu"), Operator).AlertDelayMinutes);
        Assert.Equal(0, SelfSubjects.Facts(SelfSubject.VerdictStep, Operator).AlertDelayMinutes);
    }

    [Fact]
    public void A_silent_region_alerts_the_operator_at_once_repeats_up_to_the_cap_and_one_pass_sends_the_recovery_notice()
    {
        var driver = Open(SelfSubject.Silent("eu"));
        var alerts = Sent(driver.Log.Select(l => l.Command));
        for (var minute = Decided + 1; minute <= Decided + 100; minute++)
        {
            alerts.AddRange(Sent(driver.Verdict(minute, VerdictOutcome.Fail, minute + 0.8)));
            alerts.AddRange(Sent(driver.Tick(minute + 0.9)));
        }

        Assert.Equal(
            [("failure", 1), ("failure", 2), ("failure", 3), ("failure", 4)],
            alerts.Select(a => (a.Kind, a.Sequence)));
        Assert.Equal(
            [Decided, Decided + SelfSubject.RepeatMinutes, Decided + (2 * SelfSubject.RepeatMinutes), Decided + (3 * SelfSubject.RepeatMinutes)],
            driver.Log.Where(l => l.Command is SendFailureAlert).Select(l => (long)Math.Floor(l.At)));

        var recovered = driver.Verdict(Decided + 101, VerdictOutcome.Pass, Decided + 101.8);
        Assert.Equal([("recovery", 0)], Sent(recovered).Select(a => (a.Kind, a.Sequence)));
        Assert.Equal(IncidentEnd.Recovered, driver.State.End);
    }

    [Fact]
    public void An_untrusted_region_alerts_only_after_five_untrusted_cycles_in_a_row()
    {
        var blip = Open(SelfSubject.Untrusted("eu"));
        for (var minute = Decided + 1; minute < Decided + SelfSubject.UntrustedCycles - 1; minute++)
        {
            Assert.Empty(Sent(blip.Verdict(minute, VerdictOutcome.Fail, minute + 0.8)));
            Assert.Empty(Sent(blip.Tick(minute + 0.9)));
        }

        // A trusted cycle inside the delay: nobody hears of it.
        Assert.Empty(Sent(blip.Verdict(Decided + SelfSubject.UntrustedCycles - 1, VerdictOutcome.Pass, Decided + SelfSubject.UntrustedCycles - 0.2)));
        Assert.Equal(IncidentEnd.Cancelled, blip.State.End);

        var lasting = Open(SelfSubject.Untrusted("eu"));
        for (var minute = Decided + 1; minute <= Decided + SelfSubject.UntrustedCycles; minute++)
        {
            lasting.Tick(minute);
            lasting.Verdict(minute, VerdictOutcome.Fail, minute + 0.8);
        }

        var first = Assert.Single(lasting.Log, l => l.Command is SendFailureAlert);
        Assert.Equal(Decided + SelfSubject.UntrustedCycles, first.At);
    }

    [Fact]
    public void The_operators_mail_says_what_is_wrong_with_the_deployment_and_where_to_look()
    {
        var messages = new SelfMessages("https://func-eu-x7k2.azurewebsites.net", "eu");
        var silent = messages.For(SelfSubject.Silent("us"), AlertKind.Failure, 2, Beat, Beat.AddMinutes(15), Operator);
        Assert.Equal(ChannelKind.Email, silent.Channel);
        Assert.Equal(Operator, silent.To);
        Assert.Equal(MessagePriority.Alert, silent.Priority);
        Assert.Equal("DEPLOYMENT: region us silent", silent.Subject);
        Assert.Contains("https://func-eu-x7k2.azurewebsites.net", silent.Text, StringComparison.Ordinal);
        Assert.Contains("Region us has not run its probe cycle for 3 minutes", silent.Text, StringComparison.Ordinal);
        Assert.Contains("function app of region us", silent.Text, StringComparison.Ordinal);
        Assert.Contains("alert 2 of at most 4", silent.Text, StringComparison.Ordinal);

        var verdict = messages.For(SelfSubject.VerdictStep, AlertKind.Failure, 1, Beat, Beat, Operator);
        Assert.Equal("DEPLOYMENT: verdict step not running", verdict.Subject);
        Assert.Contains("primary region eu", verdict.Text, StringComparison.Ordinal);
        Assert.Contains("no incident opens", verdict.Text, StringComparison.Ordinal);

        var untrusted = messages.For(SelfSubject.Untrusted("asia"), AlertKind.Failure, 1, Beat, Beat, Operator);
        Assert.Contains("5 cycles in a row", untrusted.Text, StringComparison.Ordinal);
        Assert.Contains("SM_CANARY_TARGETS", untrusted.Text, StringComparison.Ordinal);

        var recovery = messages.For(SelfSubject.Silent("us"), AlertKind.Recovery, null, Beat, Beat.AddMinutes(40), Operator);
        Assert.Equal("DEPLOYMENT RECOVERED: region us silent", recovery.Subject);
        Assert.Contains("region us runs its probe cycle again", recovery.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("What to check", recovery.Text, StringComparison.Ordinal);
    }

    private static RegionStatus Region(string name, bool silent, long latest, bool trusted) =>
        new(name, new RegionLatest(name, latest, Beat, Stats, trusted, trusted ? "canaries answered" : "canaries failed", TimeSpan.Zero, TimeSpan.Zero), Beat, silent);

    /// <summary>The incident a failing verdict of <see cref="Decided"/> opens, decided at second 50 as the verdict step does.</summary>
    private static PolicyDriver Open(SelfSubject subject)
    {
        var facts = SelfSubjects.Facts(subject, Operator);
        var opening = new IncidentOpening(IncidentIds.Of(subject.Id, Decided), subject.Id, Decided, [], facts.AlertDelayMinutes, facts.RecoveryPasses, facts.Destinations!);
        return PolicyDriver.Open(opening, Decided + 0.8);
    }

    private static List<(string Kind, int Sequence)> Sent(IEnumerable<IncidentCommand> commands) =>
        [.. commands.Select(c => c switch
        {
            SendFailureAlert f => ("failure", f.Sequence),
            SendRecoveryNotice => ("recovery", 0),
            _ => (string.Empty, -1),
        }).Where(a => a.Item2 >= 0)];
}
