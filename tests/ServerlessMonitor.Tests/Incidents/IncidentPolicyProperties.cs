using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using static ServerlessMonitor.Tests.Incidents.IncidentScenario;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>
/// The policy over random incidents (issue 14, item 4): random settings and destinations,
/// verdicts with gaps, repeats, reordering and late arrivals, destination changes, pauses and
/// deletes, alerts that could not be stored; driven as the orchestrator drives it.
/// </summary>
public sealed class IncidentPolicyProperties
{
    [Property(MaxTest = 400)]
    public Property No_destination_gets_more_than_four_failure_alerts_and_only_stored_ones_count() => Prop.ForAll(Any.ToArbitrary(), s =>
    {
        var run = s.Simulate();
        foreach (var key in run.Log.Select(l => l.Command).OfType<SendFailureAlert>().Select(a => a.Destination).Distinct())
        {
            var asked = run.Log.Select(l => l.Command).OfType<SendFailureAlert>().Where(a => a.Destination == key).Select(a => a.Sequence).ToList();
            var stored = run.Events.Select(e => e.Event).OfType<AlertStored>().Where(a => a.Destination == key).Select(a => a.Sequence).ToList();
            var notStored = run.Events.Select(e => e.Event).OfType<AlertNotStored>().Where(a => a.Destination == key).Select(a => a.Sequence).ToList();

            // Stored: 1..n in order, n ≤ 4. Asked: in order, a number again only after it could not be stored.
            Assert.Equal(Enumerable.Range(1, stored.Count), stored);
            Assert.InRange(stored.Count, 0, IncidentPolicy.MaxFailureAlerts);
            Assert.All(asked, n => Assert.InRange(n, 1, IncidentPolicy.MaxFailureAlerts));
            Assert.Equal(asked.Order(), asked);
            Assert.All(asked.GroupBy(n => n), g => Assert.True(g.Count() <= 1 + notStored.Count(n => n == g.Key)));
        }
    });

    [Property(MaxTest = 400)]
    public Property Nothing_is_sent_while_pending_and_no_failure_alert_comes_before_the_delay() => Prop.ForAll(Any.ToArbitrary(), s =>
    {
        var run = s.Simulate();
        var alerting = false;
        foreach (var l in run.Log)
        {
            alerting |= l.Command is WriteTimeline { Entry.Kind: TimelineKind.Alerting };
            if (l.Command is SendFailureAlert)
            {
                Assert.True(alerting, "alerted while pending");
                Assert.True(l.At >= M + s.Delay, $"alert at {l.At}, delay ends at {M + s.Delay}");
            }
        }
    });

    [Property(MaxTest = 400)]
    public Property A_pass_within_the_delay_cancels_silently() => Prop.ForAll(Any.ToArbitrary(), s =>
    {
        var run = s.Simulate();
        if (run.State.End == IncidentEnd.Cancelled)
        {
            Assert.DoesNotContain(run.Log, l => l.Command is SendFailureAlert or SendRecoveryNotice);
        }

        if (Applied(run).FirstOrDefault() is { Verdict.Outcome: VerdictOutcome.Pass } first && first.At < M + s.Delay)
        {
            Assert.Equal(IncidentEnd.Cancelled, run.State.End);
            Assert.Equal(first.Verdict, run.Log.Last().Cause);
        }
    });

    [Property(MaxTest = 400)]
    public Property Recovery_goes_exactly_to_the_destinations_whose_failure_alert_was_stored_and_only_after_recoveryPasses_passes_in_a_row() => Prop.ForAll(Any.ToArbitrary(), s =>
    {
        var run = s.Simulate();
        var alerted = run.Events.Select(e => e.Event).OfType<AlertStored>().Select(a => a.Destination).ToHashSet();
        var recovered = run.Log.Select(l => l.Command).OfType<SendRecoveryNotice>().Select(r => r.Destination).ToList();
        Assert.Equal(recovered.Distinct().Count(), recovered.Count);
        if (run.State.End != IncidentEnd.Recovered)
        {
            Assert.Empty(recovered);
            return;
        }

        Assert.Equal(alerted.Order(), recovered.Order());

        // Of the verdicts applied, the last ones that say anything about the target are passes.
        var applied = Applied(run).Select(a => a.Verdict.Outcome).Where(o => o is VerdictOutcome.Pass or VerdictOutcome.Fail).ToList();
        Assert.True(applied.Count >= s.Passes);
        Assert.All(applied.TakeLast(s.Passes), o => Assert.Equal(VerdictOutcome.Pass, o));
    });

    [Property(MaxTest = 400)]
    public Property Suppressed_and_unknown_verdicts_never_alert_nor_recover_and_no_alert_goes_while_the_latest_verdict_is_not_a_failure() =>
        Prop.ForAll(Any.ToArbitrary(), s =>
        {
            var run = s.Simulate();
            Assert.DoesNotContain(run.Log, l => l.Cause is VerdictArrived { Outcome: VerdictOutcome.Suppressed or VerdictOutcome.Unknown } && l.Command is SendFailureAlert or SendRecoveryNotice or EndIncident);

            var latest = VerdictOutcome.Fail;
            var latestMinute = M;
            foreach (var l in run.Log)
            {
                if (l.Command is WriteTimeline { Entry: { Kind: TimelineKind.Verdict } entry } && (entry.LastMinute ?? entry.Minute) > latestMinute)
                {
                    latest = entry.Outcome!.Value;
                    latestMinute = (entry.LastMinute ?? entry.Minute)!.Value;
                }

                if (l.Command is SendFailureAlert)
                {
                    Assert.Equal(VerdictOutcome.Fail, latest);
                }
            }
        });

    [Property(MaxTest = 300)]
    public Property An_ended_incident_emits_nothing_and_stays_as_it_is()
    {
        IncidentEvent[] events =
        [
            new VerdictArrived(100_000, VerdictOutcome.Fail, ["eu"]),
            new VerdictArrived(100_001, VerdictOutcome.Pass, ["eu"]),
            new DeadlineReached(),
            new DestinationsRead([new("z:1", 0, 1)], 1),
            new MonitorChanged(MonitorChange.Deleted),
            new AlertStored("a:1", 1),
            new AlertNotStored("a:1", 1),
        ];
        return Prop.ForAll(Any.ToArbitrary(), s =>
        {
            var run = s.Simulate();
            if (run.State.Phase != IncidentPhase.Ended)
            {
                return;
            }

            Assert.Null(IncidentPolicy.NextDeadline(run.State));
            foreach (var e in events)
            {
                var decision = IncidentPolicy.Decide(run.State, e, 100_002);
                Assert.Empty(decision.Commands);
                Assert.Same(run.State, decision.State);
            }

            // Its end was the last thing it said: recheck off, then the end.
            Assert.Equal([new SetRecheck(false), new EndIncident(run.State.End!.Value)], run.Log.TakeLast(2).Select(l => l.Command));
        });
    }

    [Property(MaxTest = 300)]
    public Property A_paused_or_deleted_monitor_ends_the_incident_with_nothing_sent() => Prop.ForAll(Any.ToArbitrary(), s =>
    {
        var run = s.Simulate();
        if (run.State.End is IncidentEnd.Paused or IncidentEnd.Deleted)
        {
            Assert.DoesNotContain(run.Log, l => l.Cause is MonitorChanged && l.Command is SendFailureAlert or SendRecoveryNotice);
            Assert.Equal(s.Stop!.Value.Change == MonitorChange.Paused ? IncidentEnd.Paused : IncidentEnd.Deleted, run.State.End);
        }
    });

    [Property(MaxTest = 200)]
    public Property The_same_inputs_give_the_same_outputs_also_when_the_state_goes_through_json_between_decisions() => Prop.ForAll(Any.ToArbitrary(), s =>
    {
        var first = Text(s.Simulate());
        Assert.Equal(first, Text(s.Simulate()));
        Assert.Equal(first, Text(s.Simulate(throughJson: true)));
    });

    [Property(MaxTest = 400)]
    public Property While_the_target_keeps_failing_the_nth_alert_goes_within_a_minute_of_M_plus_delay_plus_after_plus_n_minus_1_repeats() =>
        Prop.ForAll(SteadyOutage.ToArbitrary(), s =>
        {
            var run = s.Simulate();
            foreach (var l in run.Log.Where(l => l.Command is SendFailureAlert))
            {
                var alert = (SendFailureAlert)l.Command;
                var plan = s.Destinations.Single(d => d.Key == alert.Destination);
                var nominal = M + s.Delay + plan.AfterMinutes + ((alert.Sequence - 1) * plan.RepeatMinutes);
                Assert.InRange(l.At, nominal, nominal + 1);
            }

            // Escalation order: a destination with a later first step never hears first.
            var firsts = run.Log.Where(l => l.Command is SendFailureAlert { Sequence: 1 }).Select(l => (l.At, After: s.Destinations.Single(d => d.Key == ((SendFailureAlert)l.Command).Destination).AfterMinutes)).ToList();
            Assert.All(firsts, a => Assert.All(firsts.Where(b => b.After > a.After), b => Assert.True(b.At >= a.At)));
        });

    [Property(MaxTest = 400)]
    public Property Deadlines_are_never_in_the_past_and_the_recheck_is_on_from_the_start_and_off_at_the_end() => Prop.ForAll(Any.ToArbitrary(), s =>
    {
        var run = s.Simulate();
        Assert.Equal(0, run.DeadlinesInPast);
        var rechecks = run.Log.Select(l => l.Command).OfType<SetRecheck>().Select(r => r.On).ToList();
        Assert.Equal(run.State.Phase == IncidentPhase.Ended ? [true, false] : [true], rechecks);
    });

    /// <summary>The verdicts the policy applied (newer than any before), with their arrival times.</summary>
    private static List<(double At, VerdictArrived Verdict)> Applied(Simulation run)
    {
        var applied = new List<(double, VerdictArrived)>();
        var last = M;
        foreach (var (at, e) in run.Events)
        {
            if (e is VerdictArrived v && v.Minute > last)
            {
                last = v.Minute;
                applied.Add((at, v));
            }
        }

        return applied;
    }

    private static string Text(Simulation run) =>
        string.Join('\n', run.Log.Select(l => $"{l.At} {IncidentPolicyTests.Json(l.Command)}")) + IncidentPolicyTests.Json(run.State);
}
