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

/// <summary>POST /api/status-pages: the owner publishes a page of some of its public monitors (docs/STATUS-PAGES.md).</summary>
public sealed class StatusPageCreateFunction(Keys keys, StatusPageEditor editor, MonitorConfig config, ILogger<StatusPageCreateFunction> logger)
{
    [Function("status-pages-create")]
    [ApiOperation("Publish a status page of some of the caller's public monitors", "status pages", Auth = ApiAuth.Key, Body = typeof(StatusPageCreateRequest))]
    [ApiResponse(StatusCodes.Status201Created, "Published", typeof(StatusPageBody))]
    [ApiResponse(StatusCodes.Status400BadRequest, "A bad slug, title or monitor (not the caller's, or not public)", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status409Conflict, "The slug is taken (slug_taken), or the account has 20 pages (too_many_status_pages)", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "status-pages")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var body = await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
            var page = await editor.CreateAsync(caller, body.Element, cancellationToken).ConfigureAwait(false);
            return new JsonAnswer(StatusCodes.Status201Created, StatusPageBody.From(page, config.PublicBase));
        });
}
