using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Core.StatusPages;

/// <summary>
/// What anyone may see of a page, read fresh: its owner's monitors that are still public (one
/// made private or deleted since simply drops out), their uptime and latency from the rollups
/// (<see cref="IUptimeSource"/>, a few rows per monitor), and their confirmed outages with public
/// notes. Monitors are read a few at a time, each monitor's reads at once.
/// </summary>
public sealed class StatusPageReader(StatusPageStore pages, MonitorStore monitors, IncidentStore incidents, IUptimeSource uptime, TimeProvider time)
{
    public const int Days = 90;
    public const int Months = 12;
    public const int MaxIncidents = 20;
    private const int IncidentsPerMonitor = 10;
    private const int Concurrency = 8;

    /// <summary>The page with its charts; null when there is no such page.</summary>
    public async Task<StatusPageView?> ReadAsync(string slug, CancellationToken cancellationToken)
    {
        if (await pages.GetAsync(slug, cancellationToken).ConfigureAwait(false) is not { } page)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var shown = await VisibleAsync(page, cancellationToken).ConfigureAwait(false);
        var panels = new MonitorPanel[shown.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, shown.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (i, token) => panels[i] = await PanelAsync(shown[i].Monitor, shown[i].DisplayName, now, token).ConfigureAwait(false)).ConfigureAwait(false);
        return new StatusPageView(page.Slug, page.Title, now, panels, await IncidentsAsync(shown, now, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The page's incidents only (the feed); null when there is no such page.</summary>
    public async Task<(StatusPage Page, IReadOnlyList<PublicIncident> Incidents)?> ReadIncidentsAsync(string slug, CancellationToken cancellationToken)
    {
        if (await pages.GetAsync(slug, cancellationToken).ConfigureAwait(false) is not { } page)
        {
            return null;
        }

        var shown = await VisibleAsync(page, cancellationToken).ConfigureAwait(false);
        return (page, await IncidentsAsync(shown, time.GetUtcNow(), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A monitor a badge may show: public, and listed by a page of its owner; null otherwise.</summary>
    public async Task<MonitorRecord?> BadgeMonitorAsync(string monitorId, CancellationToken cancellationToken)
    {
        if (await monitors.GetAsync(monitorId, cancellationToken).ConfigureAwait(false) is not { Definition.Public: true } monitor)
        {
            return null;
        }

        var listing = await pages.ListByMonitorAsync(monitorId, cancellationToken).ConfigureAwait(false);
        return listing.Any(p => p.OwnerId == monitor.OwnerId) ? monitor : null;
    }

    private async Task<IReadOnlyList<(MonitorRecord Monitor, string? DisplayName)>> VisibleAsync(StatusPage page, CancellationToken cancellationToken)
    {
        var found = (await monitors.GetManyAsync([.. page.Monitors.Select(m => m.Id)], cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Id, StringComparer.Ordinal);
        return [.. page.Monitors
            .Where(m => found.TryGetValue(m.Id, out var monitor) && monitor.OwnerId == page.OwnerId && monitor.Definition.Public)
            .Select(m => (found[m.Id], m.DisplayName))];
    }

    private async Task<MonitorPanel> PanelAsync(MonitorRecord monitor, string? displayName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        UptimePeriods.TryParse("90d", now, out var ninetyDays);
        var overview = await uptime.OverviewAsync(monitor.Id, now, Days, Months, ninetyDays, 99.9, cancellationToken).ConfigureAwait(false);
        return new MonitorPanel(
            monitor.Id,
            displayName ?? monitor.Definition.Name,
            displayName is null ? monitor.Definition.Target : null,
            monitor.State,
            monitor.Definition.Paused,
            monitor.StateChangedAt,
            overview.Report,
            overview.Days,
            overview.Months,
            overview.HourlyLatency,
            overview.DailyLatency);
    }

    /// <summary>
    /// Confirmed outages (alerting or recovered; an incident still in its alert delay, or
    /// cancelled, was never an outage anyone was told of) opened in the last 90 days or still
    /// open, newest first, at most <see cref="MaxIncidents"/>; with their public notes only.
    /// </summary>
    private async Task<IReadOnlyList<PublicIncident>> IncidentsAsync(IReadOnlyList<(MonitorRecord Monitor, string? DisplayName)> shown, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new List<(IncidentRecord Incident, string Name)>();
        foreach (var batch in shown.Chunk(Concurrency))
        {
            var lists = await Task.WhenAll(batch.Select(m => incidents.ListAsync(m.Monitor.Id, IncidentsPerMonitor, cancellationToken))).ConfigureAwait(false);
            for (var i = 0; i < batch.Length; i++)
            {
                found.AddRange(lists[i]
                    .Where(x => x.State is IncidentStatus.Alerting or IncidentStatus.Recovered && (x.ClosedAt is null || x.OpenedAt >= now.AddDays(-Days)))
                    .Select(x => (x, batch[i].DisplayName ?? batch[i].Monitor.Definition.Name)));
            }
        }

        var chosen = found.OrderByDescending(x => x.Incident.ClosedAt is null).ThenByDescending(x => x.Incident.OpenedAt).Take(MaxIncidents).ToList();
        var details = await Task.WhenAll(chosen.Select(x => incidents.DetailAsync(x.Incident, cancellationToken))).ConfigureAwait(false);
        return [.. chosen.Select((x, i) => new PublicIncident(
            x.Incident.Id,
            x.Incident.MonitorId,
            x.Name,
            x.Incident.OpenedAt,
            x.Incident.ClosedAt,
            x.Incident.State == IncidentStatus.Alerting,
            [.. details[i].Notes.Where(n => n.Public).Select(n => new PublicNote(n.At, n.Text))]))];
    }
}
