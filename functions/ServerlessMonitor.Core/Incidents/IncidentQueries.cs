using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// Reading incidents and annotating them (API.md, Incidents). The owner of the monitor and the
/// receivers that accepted its alerts see its incidents and add notes; for everyone else an
/// incident does not exist (404), as its monitor does not, and a public monitor's readers get
/// an empty list. The access decision is the monitors' business: the caller hands it in as a
/// function of the monitor id, asked only once the id is known to be well formed.
/// </summary>
public sealed class IncidentQueries(IncidentStore store, IncidentLinks links, TimeProvider time)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxNoteLength = 2000;

    public async Task<IncidentView> GetAsync(string incidentId, Func<string, CancellationToken, Task<AccessLevel>> accessTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessTo);
        var incident = await ReadableAsync(incidentId, accessTo, cancellationToken).ConfigureAwait(false);
        return View(await store.DetailAsync(incident, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A monitor's incidents, newest first, each in full; 1 to 100 (default 20).</summary>
    public async Task<IReadOnlyList<IncidentView>> ListAsync(string monitorId, int? limit, Func<string, CancellationToken, Task<AccessLevel>> accessTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessTo);
        if (limit is < 1 or > MaxLimit)
        {
            throw Refusal.Invalid($"limit must be from 1 to {MaxLimit}", "limit");
        }

        if (!Ids.Is(monitorId, Ids.Monitor))
        {
            throw Refusal.NotFound("monitor");
        }

        switch (await accessTo(monitorId, cancellationToken).ConfigureAwait(false))
        {
            case AccessLevel.None:
                throw Refusal.NotFound("monitor");
            case AccessLevel.Public:
                return [];
        }

        var views = new List<IncidentView>();
        foreach (var incident in await store.ListAsync(monitorId, limit ?? DefaultLimit, cancellationToken).ConfigureAwait(false))
        {
            views.Add(View(await store.DetailAsync(incident, cancellationToken).ConfigureAwait(false)));
        }

        return views;
    }

    /// <summary>
    /// Adds a note (1 to 2000 characters, trimmed) by <paramref name="accountId"/>; what the API
    /// answers with 201. A <paramref name="isPublic"/> note is shown on the monitor's status pages.
    /// </summary>
    public async Task<IncidentNote> AddNoteAsync(string incidentId, string accountId, string? text, bool isPublic, Func<string, CancellationToken, Task<AccessLevel>> accessTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessTo);
        await ReadableAsync(incidentId, accessTo, cancellationToken).ConfigureAwait(false);
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxNoteLength)
        {
            throw Refusal.Invalid($"the note must be 1 to {MaxNoteLength} characters", "text");
        }

        var note = new IncidentNote(time.GetUtcNow(), accountId, trimmed, isPublic);
        await store.AddNoteAsync(incidentId, note, cancellationToken).ConfigureAwait(false);
        return note;
    }

    /// <summary>
    /// The incident an alert's page link names, for anyone holding the link: 410 for a link that
    /// is altered, expired or not one of ours, 404 when the incident is not (or no longer) stored.
    /// </summary>
    public async Task<IncidentDetail> ByPageTokenAsync(string token, CancellationToken cancellationToken)
    {
        var incidentId = links.Tokens.Verify(token, time.GetUtcNow()) ?? throw Refusal.Gone("this incident link has expired or is not valid");
        return await store.GetDetailAsync(incidentId, cancellationToken).ConfigureAwait(false) ?? throw Refusal.NotFound("incident");
    }

    /// <summary>
    /// The API's shape of an incident: the recorded timeline with each alert and recovery notice
    /// merged in by time (an alert decided in the same turn as an entry comes after it).
    /// </summary>
    public static IncidentView View(IncidentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var recorded = detail.Timeline.Select(t => new TimelineItem(t.At, t.Entry.Kind.ToString().ToLowerInvariant())
        {
            Minute = t.Entry.Minute,
            Outcome = t.Entry.Outcome,
            Regions = t.Entry.Regions,
            Count = t.Entry.Count > 1 ? t.Entry.Count : null,
            LastMinute = t.Entry.LastMinute,
        });
        var sent = detail.Alerts.Select(a => new TimelineItem(a.At, a.Kind == AlertKind.Failure ? "alert" : "recovery-notice")
        {
            Destination = a.Destination,
            Channel = a.Channel,
            Sequence = a.Sequence,
        });
        var incident = detail.Incident;
        return new IncidentView(
            incident.Id,
            incident.MonitorId,
            incident.OpenedAt,
            incident.ClosedAt,
            incident.State,
            incident.End,
            [.. recorded.Concat(sent).Select((item, i) => (item, i)).OrderBy(x => x.item.At).ThenBy(x => x.i).Select(x => x.item)],
            [.. detail.Alerts.Select(a => new AlertView(a.At, a.Destination, a.Channel, a.Kind, a.Sequence, a.Status))],
            detail.Notes);
    }

    /// <summary>The incident, if the caller may read it; 404 for malformed ids, strangers, public readers and missing incidents alike.</summary>
    private async Task<IncidentRecord> ReadableAsync(string incidentId, Func<string, CancellationToken, Task<AccessLevel>> accessTo, CancellationToken cancellationToken)
    {
        if (!IncidentIds.TryParse(incidentId, out var monitorId, out _)
            || await accessTo(monitorId, cancellationToken).ConfigureAwait(false) is not (AccessLevel.Owner or AccessLevel.Receiver))
        {
            throw Refusal.NotFound("incident");
        }

        return await store.GetAsync(incidentId, cancellationToken).ConfigureAwait(false) ?? throw Refusal.NotFound("incident");
    }
}
