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

/// <summary>GET /api/incidents/&lt;id&gt;: an incident with its timeline, alerts and notes, for the monitor's owner and accepted receivers.</summary>
public sealed class IncidentGetFunction(Keys keys, MonitorAccess access, IncidentQueries incidents, ILogger<IncidentGetFunction> logger)
{
    [Function("incidents-get")]
    [ApiOperation("An incident: timeline, alerts sent, notes", "incidents", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "The incident", typeof(IncidentView))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such incident visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "incidents/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok(await incidents.GetAsync(id, IncidentAccessTo.For(access, caller), cancellationToken).ConfigureAwait(false));
        });
}
