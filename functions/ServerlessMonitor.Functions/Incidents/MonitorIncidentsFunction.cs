using System.Globalization;
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
    [ApiResponse(StatusCodes.Status200OK, "The incidents", typeof(IReadOnlyList<IncidentView>))]
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
            if (request.Query.Keys.FirstOrDefault(k => k != "limit") is { } unknown)
            {
                throw new Refusal(RefusalKind.Invalid, "validation", $"unknown query parameter(s): {unknown}");
            }

            int? limit = null;
            if (request.Query.TryGetValue("limit", out var text))
            {
                limit = int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= IncidentQueries.MaxLimit
                    ? n
                    : throw new Refusal(RefusalKind.Invalid, "validation", $"limit must be a whole number from 1 to {IncidentQueries.MaxLimit}", "limit");
            }

            return JsonAnswer.Ok(await incidents.ListAsync(monitorId, limit, IncidentAccessTo.For(access, caller), cancellationToken).ConfigureAwait(false));
        });
}
