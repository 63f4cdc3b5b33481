using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Core.StatusPages;

/// <summary>
/// Everything a public page shows, and nothing more: what was read for it is already filtered
/// to the owner's public monitors, display names put in place of names and targets, and notes
/// to the public ones.
/// </summary>
public sealed record StatusPageView(
    string Slug,
    string Title,
    DateTimeOffset At,
    IReadOnlyList<MonitorPanel> Monitors,
    IReadOnlyList<PublicIncident> Incidents);

/// <summary>One monitor on a page. <paramref name="Target"/> is null when the owner gave a display name.</summary>
public sealed record MonitorPanel(
    string Id,
    string Name,
    string? Target,
    MonitorState State,
    bool Paused,
    DateTimeOffset? StateChangedAt,
    UptimeReport Uptime,
    IReadOnlyList<DailyUptime> Days,
    IReadOnlyList<MonthlyUptime> Months,
    IReadOnlyList<LatencyPoint> LatencyDay,
    IReadOnlyList<LatencyPoint> LatencyMonth);

/// <summary>A confirmed outage of a monitor on the page, with the notes its owner or receivers marked public.</summary>
public sealed record PublicIncident(
    string Id,
    string MonitorId,
    string MonitorName,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    bool Open,
    IReadOnlyList<PublicNote> Notes);

public sealed record PublicNote(DateTimeOffset At, string Text);
