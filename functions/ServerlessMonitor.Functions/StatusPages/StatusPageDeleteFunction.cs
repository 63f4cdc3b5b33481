using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.StatusPages;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>DELETE /api/status-pages/&lt;slug&gt;: the owner takes the page down; its slug is free again.</summary>
public sealed class StatusPageDeleteFunction(Keys keys, StatusPageEditor editor, ILogger<StatusPageDeleteFunction> logger)
{
    [Function("status-pages-delete")]
    [ApiOperation("Take a status page down (owner only)", "status pages", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status204NoContent, "Deleted")]
    [ApiResponse(StatusCodes.Status403Forbidden, "Another account's page", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such page", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "status-pages/{slug}")] HttpRequest request,
        string slug,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            await editor.DeleteAsync(caller, slug, cancellationToken).ConfigureAwait(false);
            return new StatusCodeResult(StatusCodes.Status204NoContent);
        });
}
