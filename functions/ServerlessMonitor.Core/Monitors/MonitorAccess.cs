using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// Who may do what with a monitor (DESIGN.md, Security): its owner everything; accounts that
/// accepted to receive its alerts read it (and its results, incidents, notes); any key reads a
/// public one. Everyone else learns nothing, not even that it exists: 404. Every monitor route
/// (results and incidents included) decides here.
/// </summary>
public sealed class MonitorAccess(MonitorStore store)
{
    /// <summary>The monitor and the caller's relation to it; (null, None) when there is none the caller may see.</summary>
    public async Task<(MonitorRecord? Monitor, AccessLevel Access)> OfAsync(Caller caller, string monitorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!Ids.Is(monitorId, Ids.Monitor) || await store.GetWithReceiversAsync(monitorId, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return (null, AccessLevel.None);
        }

        var access = Decide(found.Monitor, found.Receivers, caller.AccountId);
        return access == AccessLevel.None ? (null, access) : (found.Monitor, access);
    }

    /// <summary>The monitor if the caller may read it; otherwise a 404 refusal.</summary>
    public async Task<(MonitorRecord Monitor, AccessLevel Access)> VisibleAsync(Caller caller, string monitorId, CancellationToken cancellationToken)
    {
        var (monitor, access) = await OfAsync(caller, monitorId, cancellationToken).ConfigureAwait(false);
        return monitor is null ? throw Refusal.NotFound("monitor") : (monitor, access);
    }

    /// <summary>The monitor if the caller owns it: 404 when it cannot see it, 403 when it only reads it.</summary>
    public async Task<MonitorRecord> OwnedAsync(Caller caller, string monitorId, CancellationToken cancellationToken)
    {
        var (monitor, access) = await VisibleAsync(caller, monitorId, cancellationToken).ConfigureAwait(false);
        return access == AccessLevel.Owner ? monitor : throw new Refusal(RefusalKind.Forbidden, "forbidden", "only the owner of a monitor can change it");
    }

    public static AccessLevel Decide(MonitorRecord monitor, IReadOnlyList<Receiver> receivers, string accountId)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(receivers);
        if (monitor.OwnerId == accountId)
        {
            return AccessLevel.Owner;
        }

        if (receivers.Any(r => r.Status == ReceiverStatus.Accepted && r.AccountId == accountId))
        {
            return AccessLevel.Receiver;
        }

        return monitor.Definition.Public ? AccessLevel.Public : AccessLevel.None;
    }
}
