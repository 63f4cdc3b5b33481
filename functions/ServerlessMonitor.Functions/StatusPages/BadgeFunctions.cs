using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.StatusPages;
using ServerlessMonitor.Core.Uptime;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>
/// GET /api/badges/&lt;monitorId&gt;/status.svg: the monitor's state as a badge, for monitors
/// that are public and on one of their owner's status pages; 404 for every other id alike.
/// </summary>
public sealed class BadgeStatusFunction(StatusPageReader reader, ILogger<BadgeStatusFunction> logger)
{
    [Function("badge-status")]
    [ApiOperation("A public monitor's state as an SVG badge (the monitor must be on a status page)", "status pages")]
    [ApiResponse(StatusCodes.Status200OK, "The badge (image/svg+xml; Cache-Control: public, max-age=60)", ContentType = "image/svg+xml")]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor on a status page", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "badges/{monitorId}/status.svg")] HttpRequest request,
        string monitorId,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var monitor = await reader.BadgeMonitorAsync(PathId.Require(monitorId, Ids.Monitor, "monitor"), cancellationToken).ConfigureAwait(false)
                ?? throw Refusal.NotFound("monitor");
            var (value, colour) = monitor.Definition.Paused ? ("paused", Svg.NoData) : monitor.State switch
            {
                MonitorState.Up => ("up", Svg.Up),
                MonitorState.Down => ("down", Svg.Down),
                MonitorState.Suppressed => ("unconfirmed", Svg.NoData),
                _ => ("unknown", Svg.NoData),
            };
            return PublicAnswer.Svg(Badge.Render("status", value, colour));
        });
}

/// <summary>GET /api/badges/&lt;monitorId&gt;/uptime.svg?period=30d: availability over 24h, 7d, 30d (default) or 90d as a badge; same rule as the status badge.</summary>
public sealed class BadgeUptimeFunction(StatusPageReader reader, IUptimeSource uptime, TimeProvider time, ILogger<BadgeUptimeFunction> logger)
{
    [Function("badge-uptime")]
    [ApiOperation("A public monitor's uptime over a period (24h, 7d, 30d, 90d) as an SVG badge (the monitor must be on a status page)", "status pages")]
    [ApiResponse(StatusCodes.Status200OK, "The badge (image/svg+xml; Cache-Control: public, max-age=60)", ContentType = "image/svg+xml")]
    [ApiResponse(StatusCodes.Status400BadRequest, "An unknown period", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor on a status page", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "badges/{monitorId}/uptime.svg")] HttpRequest request,
        string monitorId,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var name = StrictQuery.Read(request, "period").Single("period") ?? UptimePeriods.Default;
            if (name.StartsWith("month:", StringComparison.Ordinal) || !UptimePeriods.TryParse(name, time.GetUtcNow(), out var period))
            {
                throw ApiProblem.Invalid("must be 24h, 7d, 30d or 90d", "period");
            }

            var monitor = await reader.BadgeMonitorAsync(PathId.Require(monitorId, Ids.Monitor, "monitor"), cancellationToken).ConfigureAwait(false)
                ?? throw Refusal.NotFound("monitor");
            var report = await uptime.ReportAsync(monitor.Id, period, 99.9, cancellationToken).ConfigureAwait(false);
            return PublicAnswer.Svg(Badge.Render($"uptime {name}", Svg.Percent(report.Availability).Replace(" %", "%", StringComparison.Ordinal), Svg.ColourOf(report.Availability)));
        });
}
