namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// One protocol's check, in one small class per protocol (the shape of Xabaril's
/// HealthChecks.Network): it throws a <see cref="ProbeFailure"/> when the target fails and
/// returns when it passed; the run records phases and findings either way.
/// </summary>
internal interface IProtocolProbe
{
    Task RunAsync(ProbeRun run);
}
