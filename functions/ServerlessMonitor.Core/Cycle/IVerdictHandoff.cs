namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Where the verdict step hands each decided cycle's verdicts (DESIGN.md, Decide → Incident): the
/// incident pipeline implements it. It gets every verdict of the minute, once (the minute is
/// marked decided before), after the monitors' states are written. Unknown verdicts mean no
/// evidence either way and are to be treated like Suppressed ones: they open nothing.
/// </summary>
public interface IVerdictHandoff
{
    Task HandOffAsync(IReadOnlyList<MonitorVerdict> verdicts, CancellationToken cancellationToken);
}
