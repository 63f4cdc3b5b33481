using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Functions.Durable;

namespace ServerlessMonitor.Functions.Incidents;

/// <summary>
/// One orchestration per incident, <c>incident-&lt;monitorId&gt;</c> (DESIGN.md, data flow 4). It
/// only orchestrates: wait for the next verdict or change of the monitor, or the policy's next
/// deadline; ask <see cref="IncidentPolicy"/> what to do; carry that out with activities. Time
/// comes only from the context and the minute length from the input, so replays decide the same.
/// Events go through an <see cref="EventInbox{T}"/>, so none is lost to an activity running or to
/// continue-as-new, which bounds the history however long the incident lasts.
/// </summary>
public static class IncidentOrchestrator
{
    public const string Name = "incident";

    /// <summary>The one external event: a later verdict (<see cref="VerdictArrived"/>) or a change of the monitor (<see cref="MonitorChanged"/>).</summary>
    public const string NewsEvent = "incident-news";

    public const string OpenActivity = "incident-open";
    public const string RefreshActivity = "incident-refresh";
    public const string RecordActivity = "incident-record";
    public const string AlertActivity = "incident-alert";

    /// <summary>Storage hiccups are retried a few times before the orchestrator goes on without the activity.</summary>
    private static readonly TaskOptions Retries = TaskOptions.FromRetryPolicy(new RetryPolicy(4, TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    /// <summary>
    /// Scheduling minutes an incident waits for news with nothing due before it looks at its
    /// monitor anyway. A pause or delete is raised to the incident once; should the engine lose
    /// that event (DTFx's Azure Storage provider has dropped events raised around a
    /// continue-as-new), the incident would otherwise wait forever for verdicts that no longer
    /// come. The look is the refresh an alert makes: a paused or deleted monitor ends it quietly.
    /// </summary>
    public const int CheckInMinutes = 60;

    public static string InstanceId(string monitorId) => $"incident-{monitorId}";

    [Function(Name)]
    public static async Task<string?> Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<IncidentInput>() ?? throw new InvalidOperationException("an incident needs its input");
        return await new Execution(context, input).RunAsync();
    }

    private sealed class Execution(TaskOrchestrationContext context, IncidentInput input)
    {
        private readonly EventInbox<IncidentEvent> inbox = new(context, NewsEvent);
        private IncidentCarried carried = null!;

        private double Now => (context.CurrentUtcDateTime - DateTime.UnixEpoch).TotalMilliseconds / input.MinuteMilliseconds;

        public async Task<string?> RunAsync()
        {
            if (input.Start is { } start)
            {
                var monitor = await context.CallActivityAsync<MonitorNow>(OpenActivity, start, Retries);
                if (monitor.Status != MonitorNowStatus.Active)
                {
                    // Paused or deleted meanwhile, or a repeated start of an incident that is over.
                    return monitor.Status.ToString();
                }

                var opening = new IncidentOpening(start.IncidentId, start.MonitorId, start.Minute, start.Regions, monitor.AlertDelayMinutes, monitor.RecoveryPasses, monitor.Destinations ?? []);
                var decision = IncidentPolicy.Open(opening, Now);
                carried = new IncidentCarried(decision.State, start.At, IncidentStatus.Pending, start.Regions);
                await CarryOutAsync(decision);
            }
            else
            {
                carried = input.Carried ?? throw new InvalidOperationException("an incident's input has neither a start nor a carried state");
            }

            for (var turn = 0; carried.State.Phase != IncidentPhase.Ended; turn++)
            {
                if (turn >= input.TurnsPerExecution && !inbox.IsWaiting)
                {
                    context.ContinueAsNew(input with { Start = null, Carried = carried }, preserveUnprocessedEvents: true);
                    return null;
                }

                var deadline = IncidentPolicy.NextDeadline(carried.State) ?? Math.Floor(Now) + CheckInMinutes;
                var news = await inbox.NextAsync(DateTime.UnixEpoch.AddMilliseconds(Math.Ceiling(deadline * input.MinuteMilliseconds)));
                switch (news)
                {
                    case null:
                        // A deadline: alerts may be due, or it is time to check in. Destinations are read now, as they are at alert time.
                        await RefreshAsync(Math.Max(Now, deadline));
                        break;
                    case VerdictArrived or MonitorChanged:
                        var decision = IncidentPolicy.Decide(carried.State, news, Now);
                        if (news is VerdictArrived { Outcome: VerdictOutcome.Fail } failing && decision.State.LastFailMinute == failing.Minute)
                        {
                            // The policy took it as the newest failure: the next alert reports on its regions.
                            carried = carried with { LastFailRegions = failing.Regions };
                        }

                        await CarryOutAsync(decision);
                        break;
                    default:
                        // Only verdicts and monitor changes come from outside; anything else is not news.
                        break;
                }
            }

            return carried.State.End?.ToString();
        }

        private async Task RefreshAsync(double now)
        {
            MonitorNow? monitor = null;
            try
            {
                monitor = await context.CallActivityAsync<MonitorNow>(RefreshActivity, carried.State.MonitorId, Retries);
            }
            catch (TaskFailedException)
            {
                // Storage trouble must not end the incident (a new one would start the cap over):
                // go on with the destinations known from the last refresh.
            }

            IncidentEvent change = monitor?.Status switch
            {
                MonitorNowStatus.Paused => new MonitorChanged(MonitorChange.Paused),
                MonitorNowStatus.Deleted => new MonitorChanged(MonitorChange.Deleted),
                MonitorNowStatus.Active => new DestinationsRead(monitor.Destinations ?? [], monitor.RecoveryPasses),
                _ => new DeadlineReached(),
            };
            var decision = IncidentPolicy.Decide(carried.State, change, now);
            if (change is DestinationsRead)
            {
                decision = Then(decision, IncidentPolicy.Decide(decision.State, new DeadlineReached(), now));
            }

            await CarryOutAsync(decision);
        }

        /// <summary>Records the turn, then sends the alerts it asked for and feeds back whether each was stored.</summary>
        private async Task CarryOutAsync(IncidentDecision decision)
        {
            while (true)
            {
                carried = carried with { State = decision.State };
                await RecordAsync(decision.Commands);
                var sends = decision.Commands.Where(c => c is SendFailureAlert or SendRecoveryNotice).Select(SendAsync).ToList();
                if (sends.Count == 0)
                {
                    return;
                }

                var next = new IncidentDecision(carried.State, []);
                foreach (var outcome in (await Task.WhenAll(sends)).OfType<IncidentEvent>())
                {
                    next = Then(next, IncidentPolicy.Decide(next.State, outcome, Now));
                }

                decision = next;
            }
        }

        /// <summary>A failure alert answers whether it was stored; a recovery notice answers nothing.</summary>
        private async Task<IncidentEvent?> SendAsync(IncidentCommand command)
        {
            var (kind, destination, sequence) = command switch
            {
                SendFailureAlert f => (AlertKind.Failure, f.Destination, (int?)f.Sequence),
                SendRecoveryNotice r => (AlertKind.Recovery, r.Destination, (int?)null),
                _ => throw new ArgumentOutOfRangeException(nameof(command)),
            };
            var alert = new IncidentAlertInput(carried.State.IncidentId, carried.State.MonitorId, carried.OpenedAt, context.CurrentUtcDateTime, destination, kind, sequence)
            {
                FailedMinute = kind == AlertKind.Failure ? carried.State.LastFailMinute : null,
                FailedRegions = kind == AlertKind.Failure ? carried.LastFailRegions : null,
            };
            try
            {
                var status = await context.CallActivityAsync<AlertStatus?>(AlertActivity, alert, Retries);
                return sequence is { } n ? (status is null ? new AlertNotStored(destination, n) : new AlertStored(destination, n)) : null;
            }
            catch (TaskFailedException)
            {
                return sequence is { } n ? new AlertNotStored(destination, n) : null;
            }
        }

        private async Task RecordAsync(IReadOnlyList<IncidentCommand> commands)
        {
            var state = carried.State;
            var timeline = commands.OfType<WriteTimeline>().Select(c => c.Entry).ToList();
            bool? recheck = commands.OfType<SetRecheck>().LastOrDefault()?.On;
            var closed = state.Phase == IncidentPhase.Ended;
            var status = state.Status;
            var stateChanged = status != carried.Recorded || closed;
            if (timeline.Count == 0 && recheck is null && !stateChanged)
            {
                return;
            }

            var record = new IncidentRecordInput(state.IncidentId, state.MonitorId, context.CurrentUtcDateTime, timeline, recheck, stateChanged ? status : null, state.End, closed);
            try
            {
                await context.CallActivityAsync(RecordActivity, record, Retries);
                carried = carried with { Recorded = status };
            }
            catch (TaskFailedException)
            {
                // The record is history for people; the incident goes on (its state is in this orchestration).
            }
        }

        private static IncidentDecision Then(IncidentDecision first, IncidentDecision second) =>
            new(second.State, [.. first.Commands, .. second.Commands]);
    }
}
