using System.Text.Json;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>
/// The incident policy rule by rule (exactstate notes; BEHAVIOUR.md "Incident timing"), ported
/// from tests/unit/incidents/policy.test.ts. Times are scheduling minutes; the incident opens
/// with the failing verdict of minute 10.
/// </summary>
public sealed class IncidentPolicyTests
{
    private const long M = 10;
    private static readonly DestinationPlan Email = new("a:email", 0, 15);
    private static readonly DestinationPlan Sms = new("a:sms", 15, 15);

    [Fact]
    public void Opening_starts_pending_flags_the_recheck_and_writes_the_timeline()
    {
        var decision = IncidentPolicy.Open(Opening(), M + 0.5);
        Assert.Equal(IncidentPhase.Pending, decision.State.Phase);
        Assert.Equal(["timeline:opened", "recheck", "timeline:recheck"], Kinds(decision.Commands));
        Assert.Equal(new SetRecheck(true), decision.Commands[1]);
        Assert.Equal(M + 1, ((WriteTimeline)decision.Commands[2]).Entry.Minute);
        Assert.Equal(M + 3, IncidentPolicy.NextDeadline(decision.State)); // M + d + 1 until the last recheck inside the delay fails
        Assert.Equal(IncidentStatus.Pending, decision.State.Status);
    }

    [Fact]
    public void With_no_delay_the_first_failing_verdict_alerts()
    {
        var driver = PolicyDriver.Open(Opening(delay: 0), M + 0.5);
        Assert.Equal([new SendFailureAlert("a:email", 1)], Alerts(driver.Log));
        Assert.Equal(IncidentPhase.Alerting, driver.State.Phase);
        Assert.Equal(M + 15, IncidentPolicy.NextDeadline(driver.State));
    }

    [Fact]
    public void A_pass_before_the_delay_ends_cancels_it_silently_and_ends_the_recheck()
    {
        var driver = PolicyDriver.Open(Opening(), M + 0.5);
        var commands = driver.Verdict(M + 1, VerdictOutcome.Pass, M + 1.5);
        Assert.Equal(IncidentPhase.Ended, driver.State.Phase);
        Assert.Equal(IncidentEnd.Cancelled, driver.State.End);
        Assert.Empty(commands.OfType<SendFailureAlert>());
        Assert.Empty(commands.OfType<SendRecoveryNotice>());
        Assert.Contains(new SetRecheck(false), commands);
        Assert.Contains(new EndIncident(IncidentEnd.Cancelled), commands);
        Assert.Equal(IncidentStatus.Cancelled, driver.State.Status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void The_delay_ends_at_M_plus_d_when_the_recheck_of_M_plus_d_minus_1_failed(int delay)
    {
        var driver = PolicyDriver.Open(Opening(delay: delay), M + 0.5);
        for (var minute = M + 1; minute <= M + delay - 1; minute++)
        {
            driver.Verdict(minute, VerdictOutcome.Fail, minute + 0.5);
        }

        Assert.Equal(M + delay, IncidentPolicy.NextDeadline(driver.State));
        Assert.Empty(driver.Tick(M + delay - 0.01).OfType<SendFailureAlert>());
        Assert.Equal([new SendFailureAlert("a:email", 1)], driver.Tick(M + delay).OfType<SendFailureAlert>());
        Assert.Equal(IncidentStatus.Alerting, driver.State.Status);
    }

    [Fact]
    public void The_delay_waits_for_a_late_recheck_verdict_but_never_past_M_plus_d_plus_1()
    {
        var state = PolicyDriver.Open(Opening(), M + 0.5).State;

        // The recheck of minute 11 reports at 12.3: the alert goes then, not at 12.
        var late = new PolicyDriver(state);
        Assert.Single(late.Verdict(M + 1, VerdictOutcome.Fail, M + 2.3).OfType<SendFailureAlert>());

        // No recheck reported at all: alert at M + d + 1.
        var silent = new PolicyDriver(state);
        Assert.Empty(silent.Tick(M + 2.99).OfType<SendFailureAlert>());
        Assert.Single(silent.Tick(M + 3).OfType<SendFailureAlert>());
    }

    [Fact]
    public void A_pass_after_the_delay_before_anyone_was_alerted_recovers_with_no_notice()
    {
        var driver = PolicyDriver.Open(Opening(destinations: [Sms]), M + 0.5);
        driver.Verdict(M + 1, VerdictOutcome.Fail, M + 1.5);
        driver.Tick(M + 2);
        Assert.Equal(IncidentPhase.Alerting, driver.State.Phase);
        var commands = driver.Verdict(M + 5, VerdictOutcome.Pass, M + 5.5);
        Assert.Equal(IncidentEnd.Recovered, driver.State.End);
        Assert.Empty(commands.OfType<SendRecoveryNotice>());
    }

    [Fact]
    public void Each_destination_is_alerted_on_its_own_schedule_at_most_four_times()
    {
        var driver = Run(PolicyDriver.Open(Opening(destinations: [Email, Sms]), M + 0.5), M + 1, M + 200);
        Assert.Equal([(12.0, 1), (27.0, 2), (42.0, 3), (57.0, 4)], AlertTimes(driver, "a:email"));
        Assert.Equal([(27.0, 1), (42.0, 2), (57.0, 3), (72.0, 4)], AlertTimes(driver, "a:sms"));
    }

    [Theory]
    [InlineData(0, 3, 15)]
    [InlineData(2, 5, 10)]
    [InlineData(3, 0, 1)]
    [InlineData(1, 30, 7)]
    public void The_first_alert_comes_at_M_plus_d_plus_after_then_every_repeat(int delay, int after, int repeat)
    {
        var driver = Run(PolicyDriver.Open(Opening(delay: delay, destinations: [new("b:c", after, repeat)]), M + 0.5), M + 1, M + 300);
        Assert.Equal(
            Enumerable.Range(0, IncidentPolicy.MaxFailureAlerts).Select(n => ((double)(M + delay + after + (n * repeat)), n + 1)),
            AlertTimes(driver, "b:c"));
    }

    [Fact]
    public void Once_every_destination_reached_the_cap_there_is_no_deadline_and_the_incident_stays_open()
    {
        var driver = Run(PolicyDriver.Open(Opening(), M + 0.5), M + 1, M + 200);
        Assert.Equal(IncidentPolicy.MaxFailureAlerts, driver.State.Destinations[0].Stored);
        Assert.Null(IncidentPolicy.NextDeadline(driver.State));
        Assert.Equal(IncidentPhase.Alerting, driver.State.Phase);
    }

    [Fact]
    public void A_destination_that_went_away_is_dropped_and_one_that_arrived_is_scheduled_from_the_same_start()
    {
        var driver = PolicyDriver.Open(Opening(delay: 0), M + 0.5);
        driver.Apply(new DestinationsRead([Sms], 1), M + 1);
        Assert.Equal([("a:email", false, M + 15.0), ("a:sms", true, M + 15.0)], driver.State.Destinations.Select(d => (d.Key, d.Active, d.NextAt)));
        Assert.Equal([new SendFailureAlert("a:sms", 1)], driver.Tick(M + 15).OfType<SendFailureAlert>());
    }

    [Fact]
    public void A_destination_that_left_and_came_back_keeps_its_count()
    {
        var driver = PolicyDriver.Open(Opening(delay: 0), M + 0.5);
        driver.Apply(new DestinationsRead([], 1), M + 1);
        driver.Apply(new DestinationsRead([Email], 1), M + 2);
        Assert.Equal(new DestinationState("a:email", 0, 15, true, 1, null, M + 15), driver.State.Destinations[0]);
    }

    [Fact]
    public void Recovery_notifies_every_destination_that_got_a_failure_alert_and_only_those()
    {
        var driver = Run(PolicyDriver.Open(Opening(destinations: [Email, Sms]), M + 0.5), M + 1, M + 16);
        Assert.Equal([1, 0], driver.State.Destinations.Select(d => d.Stored));
        var commands = driver.Verdict(M + 17, VerdictOutcome.Pass, M + 17.5);
        Assert.Equal([new SendRecoveryNotice("a:email")], commands.OfType<SendRecoveryNotice>());
        Assert.Equal(IncidentEnd.Recovered, driver.State.End);
        Assert.Contains(new SetRecheck(false), commands);
        Assert.Empty(driver.Verdict(M + 18, VerdictOutcome.Fail, M + 18.5));
    }

    [Fact]
    public void Recovery_needs_recoveryPasses_passes_in_a_row_a_failure_restarts_the_count_and_suppressed_or_unknown_do_neither()
    {
        var driver = PolicyDriver.Open(Opening(delay: 0, passes: 2), M + 0.5);
        driver.Verdict(M + 1, VerdictOutcome.Pass, M + 1.5);
        Assert.Equal(IncidentPhase.Alerting, driver.State.Phase);
        driver.Verdict(M + 2, VerdictOutcome.Fail, M + 2.5);
        driver.Verdict(M + 3, VerdictOutcome.Pass, M + 3.5);
        driver.Verdict(M + 4, VerdictOutcome.Suppressed, M + 4.5);
        driver.Verdict(M + 5, VerdictOutcome.Unknown, M + 5.5);
        Assert.Equal(IncidentPhase.Alerting, driver.State.Phase);
        var last = driver.Verdict(M + 6, VerdictOutcome.Pass, M + 6.5);
        Assert.Equal(IncidentEnd.Recovered, driver.State.End);
        Assert.Single(last.OfType<SendRecoveryNotice>());
    }

    [Fact]
    public void No_failure_alert_goes_while_passes_are_being_counted()
    {
        var driver = PolicyDriver.Open(Opening(delay: 0, passes: 3), M + 0.5);
        driver.Verdict(M + 14, VerdictOutcome.Pass, M + 14.5);
        Assert.Null(IncidentPolicy.NextDeadline(driver.State));
        Assert.Empty(driver.Tick(M + 16).OfType<SendFailureAlert>());
    }

    [Theory]
    [InlineData(VerdictOutcome.Suppressed)]
    [InlineData(VerdictOutcome.Unknown)]
    public void Suppressed_and_unknown_verdicts_hold_alerts_and_a_later_failure_sends_the_held_one_once(VerdictOutcome outcome)
    {
        var driver = PolicyDriver.Open(Opening(), M + 0.5);
        driver.Verdict(M + 1, outcome, M + 1.5);
        Assert.Equal(IncidentPhase.Pending, driver.State.Phase);
        Assert.Empty(driver.Tick(M + 3).OfType<SendFailureAlert>());
        Assert.Equal(IncidentPhase.Alerting, driver.State.Phase);
        Assert.Null(IncidentPolicy.NextDeadline(driver.State));
        Assert.Equal([new SendFailureAlert("a:email", 1)], driver.Verdict(M + 4, VerdictOutcome.Fail, M + 4.5).OfType<SendFailureAlert>());

        // The schedule goes on from the nominal time: the held alert did not shift it.
        Assert.Equal(M + 2 + 15, IncidentPolicy.NextDeadline(driver.State));
    }

    [Theory]
    [InlineData(MonitorChange.Paused, IncidentEnd.Paused, "timeline:paused")]
    [InlineData(MonitorChange.Deleted, IncidentEnd.Deleted, "timeline:deleted")]
    public void A_paused_or_deleted_monitor_ends_the_incident_quietly(MonitorChange change, IncidentEnd end, string entry)
    {
        var driver = PolicyDriver.Open(Opening(delay: 0), M + 0.5);
        var commands = driver.Apply(new MonitorChanged(change), M + 1);
        Assert.Equal(end, driver.State.End);
        Assert.Equal([entry, "recheck", "end"], Kinds(commands));
        Assert.Equal(IncidentStatus.Cancelled, driver.State.Status);
        Assert.Null(IncidentPolicy.NextDeadline(driver.State));
    }

    [Fact]
    public void Repeated_and_out_of_order_verdicts_are_ignored()
    {
        var driver = PolicyDriver.Open(Opening(), M + 0.5);
        driver.Verdict(M + 2, VerdictOutcome.Fail, M + 2.5);
        var state = driver.State;
        foreach (var minute in new[] { M, M + 1, M + 2 })
        {
            var decision = IncidentPolicy.Decide(state, new VerdictArrived(minute, VerdictOutcome.Pass, []), M + 2.6);
            Assert.Same(state, decision.State);
            Assert.Empty(decision.Commands);
        }
    }

    [Fact]
    public void Timeline_positions_have_no_gaps_and_runs_of_equal_verdicts_are_one_growing_entry()
    {
        var driver = Run(PolicyDriver.Open(Opening(destinations: [Email, Sms]), M + 0.5), M + 1, M + 40, m => m < M + 30 ? VerdictOutcome.Fail : VerdictOutcome.Pass);
        var writes = driver.Log.Select(l => l.Command).OfType<WriteTimeline>().Select(w => w.Entry).ToList();
        var positions = writes.Select(e => e.Seq).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, positions.Count), positions);

        // The last write of each position is what the store keeps.
        var kept = writes.GroupBy(e => e.Seq).Select(g => g.Last()).ToList();
        Assert.Equal(
            ["opened", "recheck", "verdict", "alerting", "verdict", "verdict", "recovered"],
            kept.Select(e => e.Kind.ToString().ToLowerInvariant()));
        Assert.Equal((M + 1, 1, (long?)null), (kept[2].Minute!.Value, kept[2].Count, kept[2].LastMinute));
        Assert.Equal((M + 2, 28, (long?)(M + 29)), (kept[4].Minute!.Value, kept[4].Count, kept[4].LastMinute));
        Assert.Equal((VerdictOutcome.Pass, 1), (kept[5].Outcome!.Value, kept[5].Count));
    }

    [Fact]
    public void An_alert_counts_only_once_stored_one_not_stored_is_asked_for_again_a_minute_later_under_the_same_number()
    {
        var driver = PolicyDriver.Open(Opening(delay: 0), M + 0.5, notStoredOnce: (_, sequence) => sequence == 1);
        Assert.Equal([new SendFailureAlert("a:email", 1)], Alerts(driver.Log));
        Assert.Equal((0, null, M + 1.5), (driver.State.Destinations[0].Stored, driver.State.Destinations[0].InFlight, driver.State.Destinations[0].RetryAt));
        Assert.Equal(M + 1.5, IncidentPolicy.NextDeadline(driver.State));

        Assert.Equal([new SendFailureAlert("a:email", 1)], driver.Tick(M + 1.5).OfType<SendFailureAlert>());
        Assert.Equal(1, driver.State.Destinations[0].Stored);

        // The retry did not move the schedule: the second alert is due at M + 15.
        Assert.Equal(M + 15, IncidentPolicy.NextDeadline(driver.State));
    }

    [Fact]
    public void While_an_alert_is_in_flight_no_other_goes_to_that_destination_and_old_or_repeated_outcomes_change_nothing()
    {
        var opened = IncidentPolicy.Open(Opening(delay: 0, destinations: [new("a:email", 0, 1)]), M + 0.5);
        Assert.Equal([new SendFailureAlert("a:email", 1)], opened.Commands.OfType<SendFailureAlert>());
        Assert.Null(IncidentPolicy.NextDeadline(opened.State));

        // Hours pass without an answer: still one alert in flight, no second number.
        var waiting = IncidentPolicy.Decide(opened.State, new VerdictArrived(M + 100, VerdictOutcome.Fail, []), M + 100.5);
        Assert.Empty(waiting.Commands.OfType<SendFailureAlert>());

        foreach (var stale in new IncidentEvent[] { new AlertStored("a:email", 2), new AlertNotStored("a:email", 3), new AlertStored("x:y", 1) })
        {
            Assert.Equal(Json(waiting.State), Json(IncidentPolicy.Decide(waiting.State, stale, M + 100.6).State));
        }

        var stored = IncidentPolicy.Decide(waiting.State, new AlertStored("a:email", 1), M + 100.7);
        Assert.Equal(1, stored.State.Destinations[0].Stored);

        // Scheduled from when it was asked for (M + 0.5), not from when the answer came.
        Assert.Equal(M + 1, stored.State.Destinations[0].NextAt);
        Assert.Equal(Json(stored.State), Json(IncidentPolicy.Decide(stored.State, new AlertStored("a:email", 1), M + 100.8).State));
    }

    [Fact]
    public void An_alert_in_flight_when_the_target_recovers_is_owed_a_recovery_notice()
    {
        var opened = IncidentPolicy.Open(Opening(delay: 0), M + 0.5);
        var recovered = IncidentPolicy.Decide(opened.State, new VerdictArrived(M + 1, VerdictOutcome.Pass, []), M + 1.5);
        Assert.Equal([new SendRecoveryNotice("a:email")], recovered.Commands.OfType<SendRecoveryNotice>());
        Assert.Empty(IncidentPolicy.Decide(recovered.State, new AlertStored("a:email", 1), M + 1.6).Commands);
    }

    [Fact]
    public void State_events_and_commands_survive_a_round_trip_through_System_Text_Json()
    {
        var driver = Run(PolicyDriver.Open(Opening(destinations: [Email, Sms]), M + 0.5), M + 1, M + 30);
        var state = JsonSerializer.Deserialize<IncidentState>(Json(driver.State), Options)!;
        Assert.Equal(Json(driver.State), Json(state));
        Assert.Contains("\"lastOutcome\":\"fail\"", Json(driver.State), StringComparison.Ordinal);

        IncidentEvent[] events = [new VerdictArrived(3, VerdictOutcome.Unknown, ["eu"]), new DeadlineReached(), new DestinationsRead([Email], 2), new MonitorChanged(MonitorChange.Deleted), new AlertStored("a:b", 2), new AlertNotStored("a:b", 3)];
        foreach (var e in events)
        {
            var text = JsonSerializer.Serialize(e, Options);
            Assert.Equal(text, JsonSerializer.Serialize(JsonSerializer.Deserialize<IncidentEvent>(text, Options), Options));
        }

        foreach (var c in driver.Log.Select(l => l.Command))
        {
            var text = JsonSerializer.Serialize(c, Options);
            Assert.Equal(text, JsonSerializer.Serialize(JsonSerializer.Deserialize<IncidentCommand>(text, Options), Options));
        }

        Assert.Contains("{\"type\":\"failureAlert\",\"destination\":\"a:email\",\"sequence\":1}", driver.Log.Select(l => JsonSerializer.Serialize(l.Command, Options)));
    }

    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    internal static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

    private static IncidentOpening Opening(int delay = 2, int passes = 1, DestinationPlan[]? destinations = null) =>
        new("i1", "m1", M, ["eu", "us"], delay, passes, destinations ?? [Email]);

    private static List<string> Kinds(IEnumerable<IncidentCommand> commands) => commands.Select(c => c switch
    {
        WriteTimeline t => $"timeline:{t.Entry.Kind.ToString().ToLowerInvariant()}",
        SetRecheck => "recheck",
        EndIncident => "end",
        SendFailureAlert => "alert",
        SendRecoveryNotice => "recovery",
        _ => c.GetType().Name,
    }).ToList();

    private static List<SendFailureAlert> Alerts(IEnumerable<Logged> log) => log.Select(l => l.Command).OfType<SendFailureAlert>().ToList();

    private static List<(double, int)> AlertTimes(PolicyDriver driver, string key) =>
        driver.Log.Where(l => l.Command is SendFailureAlert a && a.Destination == key).Select(l => (l.At, ((SendFailureAlert)l.Command).Sequence)).ToList();

    /// <summary>Feeds a verdict each minute (arriving half a minute after it) and every deadline in between, up to <paramref name="until"/>.</summary>
    private static PolicyDriver Run(PolicyDriver driver, long from, double until, Func<long, VerdictOutcome>? outcome = null)
    {
        var minute = from;
        while (driver.State.Phase != IncidentPhase.Ended)
        {
            var deadline = IncidentPolicy.NextDeadline(driver.State);
            var arrival = minute + 0.5;
            if (deadline is { } due && due <= arrival)
            {
                if (due > until)
                {
                    break;
                }

                driver.Tick(due);
                continue;
            }

            if (arrival > until)
            {
                break;
            }

            driver.Verdict(minute, outcome?.Invoke(minute) ?? VerdictOutcome.Fail, arrival);
            minute++;
        }

        return driver;
    }
}
