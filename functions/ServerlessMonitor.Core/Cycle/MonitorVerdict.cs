namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// One monitor's verdict in one cycle.
/// </summary>
/// <param name="Regions">The regions the outcome rests on: for a pass those that got an answer, for a fail every trusted region that probed it; none when suppressed or unknown.</param>
/// <param name="Reason">Why, for people: the incident timeline and alerts show it.</param>
public sealed record MonitorVerdict(string MonitorId, VerdictOutcome Outcome, IReadOnlyList<string> Regions, string Reason)
{
    /// <summary>The scheduling minute of the cycle it decides: what an incident is numbered and timed by.</summary>
    public long Minute { get; init; }
}
