namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// What the uptime reports and the public status pages read about one monitor: availability
/// over a period, one number per day and per calendar month, and latency percentiles per
/// region. Every answer comes from stored rollups (a few rows per monitor), never from the raw
/// results, so a 90-day page stays cheap.
/// </summary>
public interface IUptimeSource
{
    /// <summary>Availability over <paramref name="period"/> against a target percentage (e.g. 99.9).</summary>
    Task<UptimeReport> ReportAsync(string monitorId, UptimePeriod period, double targetPercent, CancellationToken cancellationToken);

    /// <summary>One entry per UTC day from <paramref name="from"/> to <paramref name="to"/> inclusive, oldest first.</summary>
    Task<IReadOnlyList<DailyUptime>> DailyAsync(string monitorId, DateOnly from, DateOnly to, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="months"/> calendar months (UTC) up to and including the one holding <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<MonthlyUptime>> MonthlyAsync(string monitorId, int months, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Latency of passing probes per region from <paramref name="from"/> to <paramref name="to"/>,
    /// one point per <paramref name="step"/> (an hour or a day) and region, oldest first; steps
    /// without passing probes are left out.
    /// </summary>
    Task<IReadOnlyList<LatencyPoint>> LatencyAsync(string monitorId, DateTimeOffset from, DateTimeOffset to, TimeSpan step, CancellationToken cancellationToken);

    /// <summary>
    /// What a status page shows of one monitor, in as few reads as the store allows: the last
    /// <paramref name="days"/> UTC days and <paramref name="months"/> months up to
    /// <paramref name="now"/>, and latency per region hourly over the last 24 hours and daily over
    /// the last 30 days: the same answers as <see cref="DailyAsync"/>, <see cref="MonthlyAsync"/>
    /// and <see cref="LatencyAsync"/>, and the <see cref="ReportAsync"/> of <paramref name="report"/>
    /// against <paramref name="targetPercent"/> (UptimeSource: two queries instead of five).
    /// </summary>
    async Task<UptimeOverview> OverviewAsync(string monitorId, DateTimeOffset now, int days, int months, UptimePeriod report, double targetPercent, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new UptimeOverview(
            await ReportAsync(monitorId, report, targetPercent, cancellationToken).ConfigureAwait(false),
            await DailyAsync(monitorId, today.AddDays(1 - days), today, cancellationToken).ConfigureAwait(false),
            await MonthlyAsync(monitorId, months, now, cancellationToken).ConfigureAwait(false),
            await LatencyAsync(monitorId, now.AddHours(-24), now, TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false),
            await LatencyAsync(monitorId, now.AddDays(-30), now, TimeSpan.FromDays(1), cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>A status page's view of one monitor (<see cref="IUptimeSource.OverviewAsync"/>).</summary>
/// <param name="HourlyLatency">Per region, hourly over the last 24 hours.</param>
/// <param name="DailyLatency">Per region, daily over the last 30 days.</param>
public sealed record UptimeOverview(
    UptimeReport Report,
    IReadOnlyList<DailyUptime> Days,
    IReadOnlyList<MonthlyUptime> Months,
    IReadOnlyList<LatencyPoint> HourlyLatency,
    IReadOnlyList<LatencyPoint> DailyLatency);

/// <summary>
/// A reporting period: <c>24h</c>, <c>7d</c>, <c>30d</c>, <c>90d</c> (ending now) or
/// <c>month:YYYY-MM</c> (a UTC calendar month).
/// </summary>
public sealed record UptimePeriod(string Name, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// shared/API.md's uptime answer. <see cref="Availability"/> is a fraction in [0, 1], null when
/// nothing was observed in the period. Downtime is time in confirmed outage; suppressed and
/// maintenance time are reported apart and count neither as up nor as down.
/// </summary>
public sealed record UptimeReport(
    string Period,
    DateTimeOffset From,
    DateTimeOffset To,
    double? Availability,
    long DowntimeSeconds,
    long SuppressedSeconds,
    long MaintenanceSeconds,
    long BudgetSeconds,
    long BudgetLeftSeconds)
{
    /// <summary>
    /// Time watched in the period (from the monitor's creation, up to now), less maintenance and
    /// suppressed time: what <see cref="Availability"/> and the budget are measured over.
    /// </summary>
    public long ObservedSeconds { get; init; }
}

/// <summary>One UTC day: <see cref="Availability"/> null when the monitor was not observed that day.</summary>
public sealed record DailyUptime(DateOnly Day, double? Availability, long DowntimeSeconds, long ObservedSeconds);

/// <summary>One UTC calendar month.</summary>
public sealed record MonthlyUptime(int Year, int Month, double? Availability, long DowntimeSeconds, long ObservedSeconds);

/// <summary>Percentiles (ms) of passing probes' total time in one region over one step starting at <see cref="At"/>.</summary>
public sealed record LatencyPoint(DateTimeOffset At, string Region, double P50, double P90, double P99, int Count);
