using FsCheck;
using FsCheck.Fluent;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>One minute after the opening one: its verdict (or none), how late it arrives, and whether it comes twice.</summary>
internal sealed record ScenarioMinute(VerdictOutcome? Outcome, double Lag, bool Twice);

/// <summary>The destinations as read at a moment (a channel removed, a receiver added, a schedule changed).</summary>
internal sealed record DestinationChange(double At, IReadOnlyList<DestinationPlan> Destinations);

/// <summary>
/// A random incident: settings, destinations, a verdict per minute with gaps, repeats, reordering
/// and late arrivals, destination changes, perhaps a pause or delete, and alerts whose first
/// try to be stored fails.
/// </summary>
internal sealed record IncidentScenario(
    int Delay,
    int Passes,
    IReadOnlyList<DestinationPlan> Destinations,
    IReadOnlyList<ScenarioMinute> Minutes,
    IReadOnlyList<DestinationChange> Changes,
    (double At, MonitorChange Change)? Stop,
    IReadOnlyList<(string Destination, int Sequence)> NotStoredOnce)
{
    public const long M = 100;

    private static readonly string[] Keys = ["a:1", "a:2", "b:1", "c:9"];

    private static readonly Gen<IReadOnlyList<DestinationPlan>> Plans =
        from keys in Gen.SubListOf(Keys)
        from plans in Gen.CollectToSequence(keys, key => from after in Gen.Choose(0, 30)
                                                       from repeat in Gen.Choose(1, 20)
                                                       select new DestinationPlan(key, after, repeat))
        select (IReadOnlyList<DestinationPlan>)plans.ToList();

    private static readonly Gen<VerdictOutcome?> Outcome = Gen.Frequency(
        (12, Gen.Constant<VerdictOutcome?>(VerdictOutcome.Fail)),
        (2, Gen.Constant<VerdictOutcome?>(VerdictOutcome.Pass)),
        (1, Gen.Constant<VerdictOutcome?>(VerdictOutcome.Suppressed)),
        (1, Gen.Constant<VerdictOutcome?>(VerdictOutcome.Unknown)),
        (2, Gen.Constant<VerdictOutcome?>(null)));

    private static readonly Gen<ScenarioMinute> Minute =
        from outcome in Outcome
        from lag in Gen.Choose(5, 150)
        from twice in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new ScenarioMinute(outcome, lag / 100.0, twice);

    /// <summary>Any scenario, changes and faults included.</summary>
    public static Gen<IncidentScenario> Any { get; } = Build(withChanges: true);

    /// <summary>The target fails every minute it is probed, destinations stay as they are, every alert is stored.</summary>
    public static Gen<IncidentScenario> SteadyOutage { get; } =
        Build(withChanges: false).Select(s => s with { Minutes = s.Minutes.Select(m => m with { Outcome = m.Outcome is null ? null : VerdictOutcome.Fail }).ToList() });

    private static Gen<IncidentScenario> Build(bool withChanges) =>
        from delay in Gen.Choose(0, 6)
        from passes in Gen.Choose(1, 3)
        from destinations in Plans
        from count in Gen.Choose(0, 150)
        from minutes in Gen.ListOf(Minute, count)
        from changeCount in withChanges ? Gen.Choose(0, 3) : Gen.Constant(0)
        from changes in Gen.ListOf(from at in Gen.Choose(0, 1500) from plans in Plans select new DestinationChange(M + (at / 10.0), plans), changeCount)
        from stop in withChanges ? Gen.Frequency((4, Gen.Constant<(double, MonitorChange)?>(null)), (1, from at in Gen.Choose(0, 1500) from change in Gen.Elements(MonitorChange.Paused, MonitorChange.Deleted) select ((double, MonitorChange)?)(M + (at / 10.0), change))) : Gen.Constant<(double, MonitorChange)?>(null)
        from faults in withChanges ? Gen.SubListOf(Keys.SelectMany(k => Enumerable.Range(1, IncidentPolicy.MaxFailureAlerts).Select(n => (k, n)))).Select(f => (IReadOnlyList<(string, int)>)f.ToList()) : Gen.Constant<IReadOnlyList<(string, int)>>([])
        select new IncidentScenario(delay, passes, destinations, minutes, changes, stop, faults);

    /// <summary>
    /// Runs the scenario in time order as the orchestrator would (every verdict, change and
    /// deadline; each alert's outcome fed back at once), from the opening to its end or a
    /// horizon well past the last news.
    /// </summary>
    public Simulation Simulate(bool throughJson = false)
    {
        const double openedAt = M + 0.3;
        var faults = NotStoredOnce.ToHashSet();
        var driver = PolicyDriver.Open(new IncidentOpening("i", "m", M, ["eu"], Delay, Passes, Destinations), openedAt, (d, n) => faults.Contains((d, n)), throughJson);
        var news = new List<(double At, IncidentEvent Event)>();
        for (var i = 0; i < Minutes.Count; i++)
        {
            if (Minutes[i] is { Outcome: { } outcome } m)
            {
                var minute = M + 1 + i;
                news.Add((minute + m.Lag, new VerdictArrived(minute, outcome, ["eu"])));
                if (m.Twice)
                {
                    news.Add((minute + m.Lag + 0.01, new VerdictArrived(minute, outcome, ["eu"])));
                }
            }
        }

        news.AddRange(Changes.Select(c => (c.At, (IncidentEvent)new DestinationsRead(c.Destinations, Passes))));
        if (Stop is { } stop)
        {
            news.Add((stop.At, new MonitorChanged(stop.Change)));
        }

        news = news.Where(n => n.At >= openedAt).OrderBy(n => n.At).ToList();
        var horizon = M + Minutes.Count + 200;
        var now = openedAt;
        var deadlinesInPast = 0;
        var next = 0;
        while (driver.State.Phase != IncidentPhase.Ended)
        {
            var deadline = IncidentPolicy.NextDeadline(driver.State);
            if (deadline <= now)
            {
                deadlinesInPast++;
            }

            if (deadline is { } due && (next == news.Count || due <= news[next].At))
            {
                if (due > horizon)
                {
                    break;
                }

                now = due;
                driver.Tick(now);
            }
            else if (next < news.Count)
            {
                now = news[next].At;
                driver.Apply(news[next++].Event, now);
            }
            else
            {
                break;
            }
        }

        return new Simulation(driver.Log, driver.Events, driver.State, deadlinesInPast);
    }
}

/// <summary>What a run of a scenario did: every command with its time and cause, and where it ended.</summary>
internal sealed record Simulation(IReadOnlyList<Logged> Log, IReadOnlyList<(double At, IncidentEvent Event)> Events, IncidentState State, int DeadlinesInPast);
