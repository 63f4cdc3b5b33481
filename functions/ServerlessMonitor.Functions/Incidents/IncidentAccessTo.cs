using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Functions.Incidents;

/// <summary>The monitors' access rules as the incident queries take them: who the caller is to a monitor.</summary>
internal static class IncidentAccessTo
{
    public static Func<string, CancellationToken, Task<AccessLevel>> For(MonitorAccess access, Caller caller) =>
        async (monitorId, cancellationToken) => (await access.OfAsync(caller, monitorId, cancellationToken).ConfigureAwait(false)).Access;
}
