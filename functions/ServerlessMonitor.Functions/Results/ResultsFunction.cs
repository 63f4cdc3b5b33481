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

/// <summary>
/// GET /api/monitors/&lt;id&gt;/results?from=&amp;to=&amp;region=&amp;limit=: one monitor's raw results
/// by scheduled minute, newest first (one partition range query), for its owner, its accepted
/// receivers, and any key for a public monitor.
/// </summary>
public sealed class ResultsFunction(Keys keys, MonitorAccess access, ResultStore results, TimeProvider time, ILogger<ResultsFunction> logger)
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 5000;
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(24);

    [Function("monitor-results")]
    [ApiOperation("A monitor's results over a time range, newest first (owner, receivers, anyone for a public monitor); query: from, to (ISO-8601 with offset; default the last 24 hours), region, limit (1–5000, default 1000)", "results", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "Results, newest first", typeof(ResultBody[]))]
    [ApiResponse(StatusCodes.Status400BadRequest, "Invalid query", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitors/{id}/results")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var monitorId = PathId.Require(id, Ids.Monitor, "monitor");
            var query = HistoryQuery.Read(request, time.GetUtcNow(), DefaultSpan, "region", "limit");
            var region = query.Region();
            var limit = query.Query.Integer("limit", 1, MaxLimit, DefaultLimit);
            await access.VisibleAsync(caller, monitorId, cancellationToken).ConfigureAwait(false);
            var found = await results.RangeAsync(monitorId, query.From, query.To, region, limit, cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok(found.Select(ResultBody.From).ToArray());
        });
}
