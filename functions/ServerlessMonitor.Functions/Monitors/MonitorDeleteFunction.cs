using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.Incidents;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Monitors;

/// <summary>DELETE /api/monitors/&lt;id&gt;: the owner deletes a monitor; its receivers stop getting alerts, its results and incidents stay.</summary>
public sealed class MonitorDeleteFunction(Keys keys, MonitorService monitors, RecheckStore rechecks, SchedulingClock clock, ILogger<MonitorDeleteFunction> logger)
{
    [Function("monitors-delete")]
    [ApiOperation("Delete a monitor (owner only)", "monitors", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status204NoContent, "Deleted")]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "monitors/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var change = await monitors.DeleteAsync(caller, PathId.Require(id, Ids.Monitor, "monitor"), cancellationToken).ConfigureAwait(false);
            if (change.EndsIncident is { } end)
            {
                await new IncidentNotices(client, rechecks, clock).EndQuietlyAsync(change.Monitor.Id, end, cancellationToken).ConfigureAwait(false);
            }

            return new StatusCodeResult(StatusCodes.Status204NoContent);
        });
}
