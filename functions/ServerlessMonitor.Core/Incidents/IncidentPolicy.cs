using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// What an incident does, decided without I/O or clocks: (state, event, now) → (state,
/// commands). The orchestrator feeds it verdicts, deadlines, the monitor's destinations and the
/// outcome of each alert it asked for, and carries out the commands; being deterministic, a
/// replay decides the same again. Times are scheduling minutes (fractions allowed).
/// <para>
/// An incident opens with the failing verdict of minute M. With alert delay d it is pending
/// until M + d, and a pass meanwhile cancels it with no one alerted; the last recheck inside
/// the delay (minute M + d − 1) reports only after its minute, so the delay ends at M + d once
/// that recheck failed too and at M + d + 1 at the latest (a recheck that never reports is not
/// a pass). Then destination k is alerted at M + d + after_k and every repeat_k minutes after,
/// at most <see cref="MaxFailureAlerts"/> times, only while the latest verdict is a failure
/// (suppressed and unknown cycles say nothing about the target; a pass may be the recovery).
/// After recoveryPasses passes in a row every destination that was alerted gets a recovery
/// notice, and no one else. A paused or deleted monitor ends it quietly.
/// </para>
/// <para>
/// The cap counts alerts stored for delivery, not alerts asked for: a destination has at most
/// one alert in flight, numbered one more than those confirmed by <see cref="AlertStored"/>, so
/// a failed alert activity can be run again, or the alert asked for again after
/// <see cref="AlertNotStored"/>, under the same number, and no fifth number ever exists.
/// </para>
/// </summary>
public static class IncidentPolicy
{
    /// <summary>The cap: failure alerts per destination per incident (exactstate notes, "alert capping").</summary>
    public const int MaxFailureAlerts = 4;

    /// <summary>How long an alert that could not be stored waits before it is asked for again.</summary>
    public const double StoreRetryMinutes = 1;

    /// <summary>A failing verdict with no open incident: the incident starts, and the recheck with it.</summary>
    public static IncidentDecision Open(IncidentOpening opening, double now)
    {
        ArgumentNullException.ThrowIfNull(opening);
        var state = new IncidentState(
            opening.IncidentId,
            opening.MonitorId,
            opening.Minute,
            opening.AlertDelayMinutes,
            opening.RecoveryPasses,
            IncidentPhase.Pending,
            End: null,
            LastVerdictMinute: opening.Minute,
            LastOutcome: VerdictOutcome.Fail,
            LastFailMinute: opening.Minute,
            PassesInRow: 0,
            Destinations: [],
            TimelineCount: 0,
            OpenRun: null);
        var turn = new Turn(state);
        turn.Append(new TimelineEntry(0, TimelineKind.Opened, opening.Minute, VerdictOutcome.Fail, opening.Regions));
        turn.Command(new SetRecheck(true));
        turn.Append(new TimelineEntry(0, TimelineKind.Recheck, opening.Minute + 1));
        turn.State = turn.State with { Destinations = Merge(turn.State, opening.Destinations) };
        return Evaluate(turn, now);
    }

    public static IncidentDecision Decide(IncidentState state, IncidentEvent incidentEvent, double now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Phase == IncidentPhase.Ended)
        {
            return new IncidentDecision(state, []);
        }

        var turn = new Turn(state);
        switch (incidentEvent)
        {
            case VerdictArrived verdict:
                if (verdict.Minute <= state.LastVerdictMinute)
                {
                    return new IncidentDecision(state, []);
                }

                ApplyVerdict(turn, verdict);
                break;
            case DeadlineReached:
                break;
            case DestinationsRead read:
                turn.State = turn.State with { RecoveryPasses = read.RecoveryPasses, Destinations = Merge(turn.State, read.Destinations) };
                break;
            case MonitorChanged changed:
                Finish(turn, changed.Change == MonitorChange.Paused ? IncidentEnd.Paused : IncidentEnd.Deleted);
                return turn.Decision();
            case AlertStored stored:
                turn.State = turn.State with { Destinations = Settle(turn.State.Destinations, stored.Destination, stored.Sequence, d => Stored(d, d.InFlight!)) };
                break;
            case AlertNotStored failed:
                turn.State = turn.State with { Destinations = Settle(turn.State.Destinations, failed.Destination, failed.Sequence, d => d with { InFlight = null, RetryAt = now + StoreRetryMinutes }) };
                break;
            default:
                throw new ArgumentException($"unknown incident event {incidentEvent?.GetType().Name}", nameof(incidentEvent));
        }

        return Evaluate(turn, now);
    }

    /// <summary>When the policy next needs a <see cref="DeadlineReached"/>; null: it waits for news.</summary>
    public static double? NextDeadline(IncidentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Phase switch
        {
            IncidentPhase.Pending => DelayEnd(state),
            IncidentPhase.Alerting when state.LastOutcome == VerdictOutcome.Fail =>
                state.Destinations.Where(d => d.Waiting).Select(d => (double?)d.DueAt).Min(),
            _ => null,
        };
    }

    /// <summary>The end of the alert delay: M + d once the last recheck inside it failed, M + d + 1 at the latest.</summary>
    private static double DelayEnd(IncidentState state)
    {
        var nominal = state.OpenedMinute + state.AlertDelayMinutes;
        return state.LastFailMinute >= nominal - 1 ? nominal : nominal + 1;
    }

    private static double FirstDue(IncidentState state, int afterMinutes) => state.OpenedMinute + state.AlertDelayMinutes + afterMinutes;

    /// <summary>
    /// The destinations as they are now. One that went away keeps its count (it may come back);
    /// a schedule changed before its first alert applies in full, after it from the next repeat.
    /// </summary>
    private static List<DestinationState> Merge(IncidentState state, IReadOnlyList<DestinationPlan> plans)
    {
        var planned = new Dictionary<string, DestinationPlan>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            planned.TryAdd(plan.Key, plan);
        }

        var merged = new List<DestinationState>();
        foreach (var d in state.Destinations)
        {
            merged.Add(planned.Remove(d.Key, out var plan)
                ? d with { AfterMinutes = plan.AfterMinutes, RepeatMinutes = plan.RepeatMinutes, Active = true, NextAt = d.Claimed == 0 ? FirstDue(state, plan.AfterMinutes) : d.NextAt }
                : d with { Active = false });
        }

        foreach (var plan in plans.Where(p => planned.ContainsKey(p.Key)))
        {
            planned.Remove(plan.Key);
            merged.Add(new DestinationState(plan.Key, plan.AfterMinutes, plan.RepeatMinutes, Active: true, Stored: 0, InFlight: null, FirstDue(state, plan.AfterMinutes)));
        }

        return merged;
    }

    /// <summary>Applies an alert's outcome to its destination, if it is the alert in flight there; anything else is old news.</summary>
    private static List<DestinationState> Settle(IReadOnlyList<DestinationState> destinations, string key, int sequence, Func<DestinationState, DestinationState> settle) =>
        destinations.Select(d => d.Key == key && d.InFlight?.Sequence == sequence ? settle(d) : d).ToList();

    /// <summary>A stored alert counts; the next is due a repeat after it was due, or after it went if it went late (never a burst).</summary>
    private static DestinationState Stored(DestinationState d, AlertInFlight alert)
    {
        var scheduled = alert.ScheduledAt + d.RepeatMinutes;
        return d with { Stored = alert.Sequence, InFlight = null, NextAt = scheduled > alert.IssuedAt ? scheduled : alert.IssuedAt + d.RepeatMinutes };
    }

    private static void ApplyVerdict(Turn turn, VerdictArrived verdict)
    {
        turn.Verdict(verdict);
        var s = turn.State;
        switch (verdict.Outcome)
        {
            case VerdictOutcome.Fail:
                turn.State = s with { LastVerdictMinute = verdict.Minute, LastOutcome = VerdictOutcome.Fail, LastFailMinute = verdict.Minute, PassesInRow = 0 };
                break;
            case VerdictOutcome.Pass:
                turn.State = s with { LastVerdictMinute = verdict.Minute, LastOutcome = VerdictOutcome.Pass, PassesInRow = s.PassesInRow + 1 };
                if (s.Phase == IncidentPhase.Pending)
                {
                    Finish(turn, IncidentEnd.Cancelled);
                }
                else if (turn.State.PassesInRow >= s.RecoveryPasses)
                {
                    Finish(turn, IncidentEnd.Recovered);
                }

                break;
            default:
                // Suppressed or unknown: nothing about the target, so no count moves; alerts wait.
                turn.State = s with { LastVerdictMinute = verdict.Minute, LastOutcome = verdict.Outcome };
                break;
        }
    }

    private static void Finish(Turn turn, IncidentEnd end)
    {
        if (end == IncidentEnd.Recovered)
        {
            foreach (var d in turn.State.Destinations.Where(d => d.Alerted))
            {
                turn.Command(new SendRecoveryNotice(d.Key));
            }
        }

        turn.Append(new TimelineEntry(0, end switch
        {
            IncidentEnd.Cancelled => TimelineKind.Cancelled,
            IncidentEnd.Recovered => TimelineKind.Recovered,
            IncidentEnd.Paused => TimelineKind.Paused,
            _ => TimelineKind.Deleted,
        }));
        turn.Command(new SetRecheck(false));
        turn.Command(new EndIncident(end));
        turn.State = turn.State with { Phase = IncidentPhase.Ended, End = end };
    }

    /// <summary>Carries out every deadline that has come by <paramref name="now"/>.</summary>
    private static IncidentDecision Evaluate(Turn turn, double now)
    {
        if (turn.State.Phase == IncidentPhase.Ended)
        {
            return turn.Decision();
        }

        if (turn.State.Phase == IncidentPhase.Pending)
        {
            if (now < DelayEnd(turn.State))
            {
                return turn.Decision();
            }

            turn.State = turn.State with { Phase = IncidentPhase.Alerting };
            turn.Append(new TimelineEntry(0, TimelineKind.Alerting));
        }

        if (turn.State.LastOutcome != VerdictOutcome.Fail)
        {
            return turn.Decision();
        }

        var destinations = new List<DestinationState>();
        foreach (var d in turn.State.Destinations)
        {
            if (!d.Waiting || d.DueAt > now)
            {
                destinations.Add(d);
                continue;
            }

            var sequence = d.Stored + 1;
            turn.Command(new SendFailureAlert(d.Key, sequence));
            destinations.Add(d with { InFlight = new AlertInFlight(sequence, d.NextAt, now), RetryAt = null });
        }

        turn.State = turn.State with { Destinations = destinations };
        return turn.Decision();
    }

    /// <summary>One decision being made: the state so far and the commands in order.</summary>
    private sealed class Turn(IncidentState state)
    {
        private readonly List<IncidentCommand> commands = [];

        public IncidentState State { get; set; } = state;

        public void Command(IncidentCommand command) => commands.Add(command);

        /// <summary>A new entry at the next position; it ends any run of verdicts.</summary>
        public void Append(TimelineEntry entry)
        {
            var numbered = entry with { Seq = State.TimelineCount };
            commands.Add(new WriteTimeline(numbered));
            State = State with { TimelineCount = State.TimelineCount + 1, OpenRun = null };
        }

        /// <summary>A verdict extends the run it continues (same outcome, last entry) or starts one.</summary>
        public void Verdict(VerdictArrived verdict)
        {
            if (State.OpenRun is { } run && run.Outcome == verdict.Outcome)
            {
                var extended = run with
                {
                    Regions = run.Regions!.Union(verdict.Regions, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                    Count = run.Count + 1,
                    LastMinute = verdict.Minute,
                };
                commands.Add(new WriteTimeline(extended));
                State = State with { OpenRun = extended };
                return;
            }

            var entry = new TimelineEntry(State.TimelineCount, TimelineKind.Verdict, verdict.Minute, verdict.Outcome, verdict.Regions.Order(StringComparer.Ordinal).ToList());
            commands.Add(new WriteTimeline(entry));
            State = State with { TimelineCount = State.TimelineCount + 1, OpenRun = entry };
        }

        public IncidentDecision Decision() => new(State, commands);
    }
}
