using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// Keeps the uptime rollups (UptimeStore) as incidents alert and end and monitors pause and
/// resume: a few writes per change, none per verdict. Every step may run again (a retried
/// activity or request): stretches go into their months by set union, and the open outage or
/// pause is forgotten only after its stretch is stored.
/// </summary>
public sealed class UptimeRecorder(UptimeStore store, IncidentStore incidents, SchedulingClock clock)
{
    /// <summary>An incident alerted: the outage is confirmed, down from its first failing minute and still going.</summary>
    public Task OutageConfirmedAsync(string incidentId, CancellationToken cancellationToken) =>
        IncidentIds.TryParse(incidentId, out var monitorId, out var minute)
            ? store.OpenOutageAsync(monitorId, incidentId, clock.StartOf(minute), cancellationToken)
            : Task.CompletedTask;

    /// <summary>An incident ended: stores the downtime it stood for (none if it never alerted) and closes the open outage.</summary>
    public async Task IncidentEndedAsync(string incidentId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!IncidentIds.TryParse(incidentId, out var monitorId, out var minute))
        {
            return;
        }

        if (await incidents.GetDetailAsync(incidentId, cancellationToken).ConfigureAwait(false) is { } detail)
        {
            var stretches = OutageStretch.Of(minute, detail.Timeline.Select(t => t.Entry), detail.Incident.End, detail.Incident.ClosedAt ?? at, clock.StartOf);
            await store.AddAsync(monitorId, stretches, cancellationToken).ConfigureAwait(false);
        }

        await store.CloseOutageAsync(monitorId, incidentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The monitor is paused (as of <paramref name="at"/>, unless a pause is on already).</summary>
    public Task PausedAsync(string monitorId, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.OpenPauseAsync(monitorId, at, cancellationToken);

    /// <summary>The monitor runs (again): a pause that was on becomes maintenance up to <paramref name="at"/>.</summary>
    public async Task RunningAsync(string monitorId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await store.OpenPauseAsync(monitorId, cancellationToken).ConfigureAwait(false) is not var (start, etag))
        {
            return;
        }

        var maintenance = SpanSet.Of(Span.Of(start, at));
        await store.AddAsync(monitorId, new Dictionary<UptimeKind, SpanSet> { [UptimeKind.Maintenance] = maintenance }, cancellationToken).ConfigureAwait(false);
        await store.ClosePauseAsync(monitorId, etag, cancellationToken).ConfigureAwait(false);
    }
}
