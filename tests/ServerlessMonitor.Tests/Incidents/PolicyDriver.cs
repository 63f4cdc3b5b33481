using ServerlessMonitor.Core.Incidents;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>A command as the tests log it: the time it was decided and the event that led to it.</summary>
internal sealed record Logged(double At, IncidentEvent? Cause, IncidentCommand Command);

/// <summary>
/// Drives the policy the way the orchestrator does: each failure alert it asks for is carried
/// out at once and its outcome fed back before anything else (stored, unless
/// <paramref name="notStoredOnce"/> names it: then its first try fails and is reported so).
/// With <paramref name="throughJson"/> the state goes through System.Text.Json between decisions,
/// as it does through orchestration history and continue-as-new.
/// </summary>
internal sealed class PolicyDriver(IncidentState state, Func<string, int, bool>? notStoredOnce = null, bool throughJson = false)
{
    private readonly HashSet<(string, int)> failedOnce = [];

    public IncidentState State { get; private set; } = state;

    public List<Logged> Log { get; } = [];

    /// <summary>Every event applied, alert outcomes included, with its time.</summary>
    public List<(double At, IncidentEvent Event)> Events { get; } = [];

    public static PolicyDriver Open(IncidentOpening opening, double now, Func<string, int, bool>? notStoredOnce = null, bool throughJson = false)
    {
        var decision = IncidentPolicy.Open(opening, now);
        var driver = new PolicyDriver(decision.State, notStoredOnce, throughJson);
        driver.Carry(decision, null, now);
        return driver;
    }

    /// <summary>Applies one event and the alert outcomes it leads to; the commands of all of them.</summary>
    public List<IncidentCommand> Apply(IncidentEvent incidentEvent, double now)
    {
        var before = Log.Count;
        Events.Add((now, incidentEvent));
        Carry(IncidentPolicy.Decide(State, incidentEvent, now), incidentEvent, now);
        return Log.Skip(before).Select(l => l.Command).ToList();
    }

    public List<IncidentCommand> Verdict(long minute, Core.Cycle.VerdictOutcome outcome, double now) =>
        Apply(new VerdictArrived(minute, outcome, ["eu", "us"]), now);

    public List<IncidentCommand> Tick(double now) => Apply(new DeadlineReached(), now);

    private void Carry(IncidentDecision decision, IncidentEvent? cause, double now)
    {
        State = throughJson
            ? System.Text.Json.JsonSerializer.Deserialize<IncidentState>(IncidentPolicyTests.Json(decision.State), IncidentPolicyTests.Options)!
            : decision.State;
        Log.AddRange(decision.Commands.Select(c => new Logged(now, cause, c)));
        foreach (var alert in decision.Commands.OfType<SendFailureAlert>())
        {
            IncidentEvent outcome = notStoredOnce?.Invoke(alert.Destination, alert.Sequence) == true && failedOnce.Add((alert.Destination, alert.Sequence))
                ? new AlertNotStored(alert.Destination, alert.Sequence)
                : new AlertStored(alert.Destination, alert.Sequence);
            Events.Add((now, outcome));
            Carry(IncidentPolicy.Decide(State, outcome, now), outcome, now);
        }
    }
}
