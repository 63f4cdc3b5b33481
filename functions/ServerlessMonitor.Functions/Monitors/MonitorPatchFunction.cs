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

/// <summary>
/// PATCH /api/monitors/&lt;id&gt;: the owner changes a monitor. Who may is decided before the body
/// is read, so others learn nothing from a 400: receivers get 403, everyone else 404.
/// </summary>
public sealed class MonitorPatchFunction(Keys keys, MonitorAccess access, MonitorService monitors, RecheckStore rechecks, SchedulingClock clock, ILogger<MonitorPatchFunction> logger)
{
    [Function("monitors-patch")]
    [ApiOperation("Change a monitor (owner only); absent fields keep their values, null resets expect, escalation and regions", "monitors", Auth = ApiAuth.Key, Body = typeof(MonitorPatchRequest))]
    [ApiResponse(StatusCodes.Status200OK, "The changed monitor", typeof(MonitorBody))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "monitors/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var monitorId = PathId.Require(id, Ids.Monitor, "monitor");
            await access.OwnedAsync(caller, monitorId, cancellationToken).ConfigureAwait(false);
            var body = await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
            var change = await monitors.UpdateAsync(caller, monitorId, body.Element, cancellationToken).ConfigureAwait(false);
            if (change.EndsIncident is { } end)
            {
                await new IncidentNotices(client, rechecks, clock).EndQuietlyAsync(change.Monitor.Id, end, cancellationToken).ConfigureAwait(false);
            }

            return JsonAnswer.Ok(MonitorBody.From(change.Monitor, AccessLevel.Owner));
        });
}
