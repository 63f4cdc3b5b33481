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

/// <summary>PATCH /api/status-pages/&lt;slug&gt;: the owner changes the title or the monitors. Who may is decided before the body is read.</summary>
public sealed class StatusPagePatchFunction(Keys keys, StatusPageEditor editor, MonitorConfig config, ILogger<StatusPagePatchFunction> logger)
{
    [Function("status-pages-patch")]
    [ApiOperation("Change a status page's title or monitors (owner only); absent fields keep their values", "status pages", Auth = ApiAuth.Key, Body = typeof(StatusPagePatchRequest))]
    [ApiResponse(StatusCodes.Status200OK, "The changed page", typeof(StatusPageBody))]
    [ApiResponse(StatusCodes.Status400BadRequest, "A bad title or monitor, or an attempt to change the slug", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status403Forbidden, "Another account's page", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such page", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "status-pages/{slug}")] HttpRequest request,
        string slug,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            await editor.OwnedAsync(caller, slug, cancellationToken).ConfigureAwait(false);
            var body = await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok(StatusPageBody.From(await editor.UpdateAsync(caller, slug, body.Element, cancellationToken).ConfigureAwait(false), config.PublicBase));
        });
}
