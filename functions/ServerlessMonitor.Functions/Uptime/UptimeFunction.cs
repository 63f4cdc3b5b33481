using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Uptime;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Uptime;

/// <summary>
/// GET /api/monitors/&lt;id&gt;/uptime?period=&amp;target=&amp;format=: availability, downtime,
/// suppressed and maintenance time and the downtime budget over a period (docs/UPTIME.md), as
/// JSON, or CSV for <c>Accept: text/csv</c> or <c>format=csv</c>. For the monitor's owner and
/// the receivers that accepted its alerts; anyone else who can see it (a public monitor) gets 403
/// (its uptime is public on its badge and status pages), and the rest 404.
/// </summary>
public sealed class UptimeFunction(Keys keys, MonitorAccess access, IUptimeSource uptime, TimeProvider time, ILogger<UptimeFunction> logger)
{
    public const double DefaultTarget = 99.9;

    [Function("monitor-uptime")]
    [ApiOperation("A monitor's availability, downtime and downtime budget over a period (owner and receivers); query: period (24h, 7d, 30d, 90d or month:YYYY-MM; default 30d), target (percent, more than 0 and at most 100; default 99.9), format (json or csv; Accept: text/csv also gives CSV with a header row)", "results", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "The period's uptime (or the same as text/csv with a header row)", typeof(UptimeBody))]
    [ApiResponse(StatusCodes.Status400BadRequest, "Invalid query", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status403Forbidden, "A public monitor the caller neither owns nor receives alerts for", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitors/{id}/uptime")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var monitorId = PathId.Require(id, Ids.Monitor, "monitor");
            var query = StrictQuery.Read(request, "period", "target", "format");
            var periodName = query.Single("period") ?? UptimePeriods.Default;
            if (!UptimePeriods.TryParse(periodName, time.GetUtcNow(), out var period))
            {
                throw ApiProblem.Invalid("expected 24h, 7d, 30d, 90d or month:YYYY-MM", "period");
            }

            var target = DefaultTarget;
            if (query.Single("target") is { } targetText && !UptimePeriods.TryParseTarget(targetText, out target))
            {
                throw ApiProblem.Invalid("expected a percentage more than 0 and at most 100, e.g. 99.9", "target");
            }

            var csv = query.Single("format") switch
            {
                null => request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase)),
                "csv" => true,
                "json" => false,
                _ => throw ApiProblem.Invalid("expected json or csv", "format"),
            };

            var (_, level) = await access.VisibleAsync(caller, monitorId, cancellationToken).ConfigureAwait(false);
            if (level is not (AccessLevel.Owner or AccessLevel.Receiver))
            {
                throw new Refusal(RefusalKind.Forbidden, "forbidden", "uptime reports are for the monitor's owner and receivers; its badge and status pages show it publicly");
            }

            var body = UptimeBody.Of(await uptime.ReportAsync(monitorId, period, target, cancellationToken).ConfigureAwait(false), target);
            return csv ? new UptimeCsv(UptimeBody.CsvHeader, [body.CsvRow()]) : JsonAnswer.Ok(body);
        });
}
