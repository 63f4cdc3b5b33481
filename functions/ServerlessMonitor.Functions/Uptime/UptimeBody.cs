using System.Globalization;
using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Functions.Uptime;

/// <summary>GET /api/monitors/&lt;id&gt;/uptime (shared/API.md; docs/UPTIME.md says how each number is made).</summary>
/// <param name="Period">As asked: 24h, 7d, 30d, 90d or month:YYYY-MM.</param>
/// <param name="Availability">A fraction in [0, 1] of the observed time that was not down; null when nothing was observed.</param>
/// <param name="Target">The target the budget is measured against, percent.</param>
/// <param name="ObservedSeconds">Time watched in the period, less maintenance and suppressed time: what availability and the budget are measured over.</param>
/// <param name="BudgetLeftSeconds">The budget less the downtime; negative when the budget is overspent.</param>
public sealed record UptimeBody(
    string Period,
    DateTimeOffset From,
    DateTimeOffset To,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Availability,
    long DowntimeSeconds,
    long SuppressedSeconds,
    long MaintenanceSeconds,
    long BudgetSeconds,
    long BudgetLeftSeconds,
    double Target,
    long ObservedSeconds)
{
    /// <summary>The CSV columns, in order: the API's fields, then target and observed seconds.</summary>
    public static readonly string CsvHeader = "period,from,to,availability,downtimeSeconds,suppressedSeconds,maintenanceSeconds,budgetSeconds,budgetLeftSeconds,target,observedSeconds";

    public static UptimeBody Of(UptimeReport report, double target)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new UptimeBody(report.Period, report.From, report.To, report.Availability, report.DowntimeSeconds, report.SuppressedSeconds, report.MaintenanceSeconds, report.BudgetSeconds, report.BudgetLeftSeconds, target, report.ObservedSeconds);
    }

    public string CsvRow() => string.Join(
        ',',
        Period,
        From.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        To.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        Availability?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
        DowntimeSeconds.ToString(CultureInfo.InvariantCulture),
        SuppressedSeconds.ToString(CultureInfo.InvariantCulture),
        MaintenanceSeconds.ToString(CultureInfo.InvariantCulture),
        BudgetSeconds.ToString(CultureInfo.InvariantCulture),
        BudgetLeftSeconds.ToString(CultureInfo.InvariantCulture),
        Target.ToString("R", CultureInfo.InvariantCulture),
        ObservedSeconds.ToString(CultureInfo.InvariantCulture));
}
