namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// The input of an incident's orchestration: a start, or the state carried into a new execution.
/// The minute length travels with it, so replays compute the same minutes whatever the settings.
/// </summary>
/// <param name="TurnsPerExecution">Events and deadlines one execution handles before it continues as new, keeping its history short.</param>
public sealed record IncidentInput(double MinuteMilliseconds, int TurnsPerExecution, IncidentStart? Start, IncidentCarried? Carried)
{
    public const int DefaultTurnsPerExecution = 40;
}
