using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Regions;

/// <summary>
/// GET /api/regions: each configured region's latest cycle as the primary judged it, and whether
/// it is alive. Anonymous like /api/health: it says how the service is doing, nothing about anyone's monitors.
/// </summary>
public sealed class RegionsFunction(RegionOverview overview, ILogger<RegionsFunction> logger)
{
    [Function("regions")]
    [ApiOperation("Every region's latest probe cycle (probes, failures, error rate, trust) and heartbeat", "regions")]
    [ApiResponse(StatusCodes.Status200OK, "One entry per region of the deployment, in configuration order", typeof(RegionBody[]))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "regions")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
            JsonAnswer.Ok((await overview.RegionsAsync(cancellationToken).ConfigureAwait(false)).Select(RegionBody.From).ToArray()));
}
