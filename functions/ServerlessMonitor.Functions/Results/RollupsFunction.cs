using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Results;

/// <summary>GET /api/monitors/&lt;id&gt;/rollups?from=&amp;to=: a monitor's hourly rollups (kept 400 days; raw results 7), newest first.</summary>
public sealed class RollupsFunction(Keys keys, MonitorAccess access, RollupStore rollups, TimeProvider time, ILogger<RollupsFunction> logger)
{
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(30);

    [Function("monitor-rollups")]
    [ApiOperation("A monitor's hourly rollups, newest first (kept 400 days); query: from, to (ISO-8601 with offset; default the last 30 days)", "results", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "One entry per hour that had results, newest first", typeof(RollupBody[]))]
    [ApiResponse(StatusCodes.Status400BadRequest, "Invalid query", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitors/{id}/rollups")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var monitorId = PathId.Require(id, Ids.Monitor, "monitor");
            var query = HistoryQuery.Read(request, time.GetUtcNow(), DefaultSpan);
            await access.VisibleAsync(caller, monitorId, cancellationToken).ConfigureAwait(false);
            var found = await rollups.RangeAsync(monitorId, query.From, query.To, cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok(found.Select(RollupBody.From).ToArray());
        });
}
