using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Health;

/// <summary>
/// GET /api/health: 200 when this region can reach Table Storage, 503 otherwise. Alerting that
/// is not configured is reported in the body but keeps 200: the app still monitors, and a
/// health check that failed would take the region out of rotation for a missing mail setting.
/// </summary>
public sealed class HealthFunction(StorageHealth storage, RegionOverview overview, MonitorConfig config, IMessageSender sender, ILogger<HealthFunction> logger)
{
    [Function("health")]
    [ApiOperation("Is this region up and able to reach storage?", "health")]
    [ApiResponse(StatusCodes.Status200OK, "Healthy", typeof(HealthBody))]
    [ApiResponse(StatusCodes.Status503ServiceUnavailable, "Table Storage is unreachable", typeof(HealthBody))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var ok = await storage.PingAsync(cancellationToken).ConfigureAwait(false);
        var status = ok ? "ok" : "error";
        var regions = ok ? await RegionsAsync(cancellationToken).ConfigureAwait(false) : null;
        return new JsonAnswer(ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, new HealthBody(status, config.Region, AppInfo.Version, status, sender.CanSend(ChannelKind.Email) ? "ok" : "not_configured", config.OperatorEmail is null ? "not_configured" : "ok", regions));
    }

    private async Task<HealthRegions?> RegionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return HealthRegions.From(await overview.RegionsAsync(cancellationToken).ConfigureAwait(false), await overview.VerdictAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            // Storage answered the ping and then failed: the summary is left out, the status stands.
            logger.LogWarning("health: regions summary unavailable: {Error}", e.Message);
            return null;
        }
    }
}
