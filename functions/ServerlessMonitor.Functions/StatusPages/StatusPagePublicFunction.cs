using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.StatusPages;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>
/// GET /api/status/&lt;slug&gt;: the public page, for anyone, no key. Rendered from the rollups
/// and kept for a minute per instance (as long as a CDN may keep it); an unknown slug is a
/// 404 page.
/// </summary>
public sealed class StatusPagePublicFunction(StatusPageReader reader, StatusPageCache cache, ILogger<StatusPagePublicFunction> logger)
{
    [Function("status-page")]
    [ApiOperation("A public status page: monitors, 90 days of daily uptime, availability per month against the nines, latency per region, incidents (HTML)", "status pages")]
    [ApiResponse(StatusCodes.Status200OK, "The page (HTML; Cache-Control: public, max-age=60)", ContentType = "text/html")]
    [ApiResponse(StatusCodes.Status404NotFound, "No such page (HTML)", ContentType = "text/html")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status/{slug}")] HttpRequest request,
        string slug,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            if (!StatusPageSlug.IsValid(slug))
            {
                return PublicAnswer.Html(StatusCodes.Status404NotFound, StatusPageHtml.NotFound());
            }

            var html = await cache.GetOrAddAsync(slug, "html", async () =>
                await reader.ReadAsync(slug, cancellationToken).ConfigureAwait(false) is { } view ? StatusPageHtml.Render(view) : string.Empty).ConfigureAwait(false);
            if (html.Length == 0)
            {
                cache.Forget(slug);
                return PublicAnswer.Html(StatusCodes.Status404NotFound, StatusPageHtml.NotFound());
            }

            return PublicAnswer.Html(StatusCodes.Status200OK, html);
        });
}
