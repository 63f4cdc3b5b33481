using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Monitors;

/// <summary>DELETE /api/monitors/&lt;id&gt;: the owner deletes a monitor; its receivers stop getting alerts, its results and incidents stay.</summary>
public sealed class MonitorDeleteFunction(Keys keys, MonitorService monitors, ILogger<MonitorDeleteFunction> logger)
{
    [Function("monitors-delete")]
    [ApiOperation("Delete a monitor (owner only)", "monitors", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status204NoContent, "Deleted")]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "monitors/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            await monitors.DeleteAsync(caller, PathId.Require(id, Ids.Monitor, "monitor"), cancellationToken).ConfigureAwait(false);
            return new StatusCodeResult(StatusCodes.Status204NoContent);
        });
}
