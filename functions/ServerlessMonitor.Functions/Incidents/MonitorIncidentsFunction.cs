using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Incidents;

/// <summary>GET /api/monitors/&lt;id&gt;/incidents?limit=: a monitor's incidents, newest first (empty for readers of a public monitor).</summary>
public sealed class MonitorIncidentsFunction(Keys keys, MonitorAccess access, IncidentQueries incidents, ILogger<MonitorIncidentsFunction> logger)
{
    [Function("monitors-incidents")]
    [ApiOperation("A monitor's incidents, newest first", "incidents", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "The incidents", typeof(IncidentView[]))]
    [ApiResponse(StatusCodes.Status400BadRequest, "A bad query (validation)", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitors/{id}/incidents")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var monitorId = PathId.Require(id, Ids.Monitor, "monitor");
            var limit = StrictQuery.Read(request, "limit").Integer("limit", 1, IncidentQueries.MaxLimit, IncidentQueries.DefaultLimit);
            return JsonAnswer.Ok(await incidents.ListAsync(monitorId, limit, IncidentAccessTo.For(access, caller), cancellationToken).ConfigureAwait(false));
        });
}
