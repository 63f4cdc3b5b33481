using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Monitors;

/// <summary>GET /api/monitors/&lt;id&gt;: for its owner, its accepted receivers, and any key if it is public; 404 for anyone else.</summary>
public sealed class MonitorGetFunction(Keys keys, MonitorAccess access, ILogger<MonitorGetFunction> logger)
{
    [Function("monitors-get")]
    [ApiOperation("One monitor (owner, receivers, or any key for a public one)", "monitors", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "The monitor", typeof(MonitorBody))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitors/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var (monitor, level) = await access.VisibleAsync(caller, PathId.Require(id, Ids.Monitor, "monitor"), cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok(MonitorBody.From(monitor, level));
        });
}
