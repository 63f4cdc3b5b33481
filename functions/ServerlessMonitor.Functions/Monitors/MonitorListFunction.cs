using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Monitors;

/// <summary>GET /api/monitors: the caller's monitors and those it receives alerts for (others' public ones are not listed).</summary>
public sealed class MonitorListFunction(Keys keys, MonitorService monitors, ILogger<MonitorListFunction> logger)
{
    [Function("monitors-list")]
    [ApiOperation("The caller's monitors and those it receives alerts for, oldest first", "monitors", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "Monitors, by createdAt then id", typeof(MonitorBody[]))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitors")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var listed = await monitors.ListAsync(caller, cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok(listed.Select(l => MonitorBody.From(l.Monitor, l.Access)).ToArray());
        });
}
