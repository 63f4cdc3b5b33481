using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>DELETE /api/monitors/&lt;id&gt;/receivers/me: the invitee stops receiving the monitor's alerts and drops the invitation.</summary>
public sealed class LeaveMonitorFunction(Keys keys, Receiving receiving, ILogger<LeaveMonitorFunction> logger)
{
    [Function("receivers-leave")]
    [ApiOperation("Leave: stop receiving a monitor's alerts and drop the invitation", "receivers", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status204NoContent, "Left")]
    [ApiResponse(StatusCodes.Status404NotFound, "No invitation for your address on this monitor", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "monitors/{id}/receivers/me")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            await receiving.LeaveAsync(caller.AccountId, PathId.Require(id, Ids.Monitor, "monitor"), cancellationToken).ConfigureAwait(false);
            return new StatusCodeResult(StatusCodes.Status204NoContent);
        });
}
