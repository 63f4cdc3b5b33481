using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.StatusPages;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>GET /api/status-pages/&lt;slug&gt;: the page's configuration, for its owner.</summary>
public sealed class StatusPageGetFunction(Keys keys, StatusPageEditor editor, MonitorConfig config, ILogger<StatusPageGetFunction> logger)
{
    [Function("status-pages-get")]
    [ApiOperation("A status page's configuration (owner only)", "status pages", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "The page", typeof(StatusPageBody))]
    [ApiResponse(StatusCodes.Status403Forbidden, "Another account's page", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such page", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status-pages/{slug}")] HttpRequest request,
        string slug,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok(StatusPageBody.From(await editor.OwnedAsync(caller, slug, cancellationToken).ConfigureAwait(false), config.PublicBase));
        });
}
