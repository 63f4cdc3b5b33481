using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.StatusPages;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>GET /api/status/&lt;slug&gt;/feed: the page's incidents as Atom, or RSS 2.0 with ?format=rss.</summary>
public sealed class StatusFeedFunction(StatusPageReader reader, StatusPageCache cache, MonitorConfig config, ILogger<StatusFeedFunction> logger)
{
    [Function("status-page-feed")]
    [ApiOperation("A status page's incidents (opened, public notes, resolved) as a feed: Atom, or RSS 2.0 with ?format=rss", "status pages")]
    [ApiResponse(StatusCodes.Status200OK, "The feed (application/atom+xml or application/rss+xml; Cache-Control: public, max-age=60)", ContentType = "application/atom+xml")]
    [ApiResponse(StatusCodes.Status400BadRequest, "format is neither atom nor rss", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such page (HTML)", ContentType = "text/html")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status/{slug}/feed")] HttpRequest request,
        string slug,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var rss = StrictQuery.Read(request, "format").Single("format") switch
            {
                null or "atom" => false,
                "rss" => true,
                _ => throw ApiProblem.Invalid("must be atom or rss", "format"),
            };
            if (!StatusPageSlug.IsValid(slug))
            {
                return PublicAnswer.Html(StatusCodes.Status404NotFound, StatusPageHtml.NotFound());
            }

            var xml = await cache.GetOrAddAsync(slug, rss ? "rss" : "atom", async () =>
                await reader.ReadIncidentsAsync(slug, cancellationToken).ConfigureAwait(false) is { } found
                    ? StatusPageFeed.Render(found.Page, found.Incidents, $"{config.PublicBase}/api/status/{slug}", rss)
                    : string.Empty).ConfigureAwait(false);
            if (xml.Length == 0)
            {
                cache.Forget(slug);
                return PublicAnswer.Html(StatusCodes.Status404NotFound, StatusPageHtml.NotFound());
            }

            return new PublicAnswer(StatusCodes.Status200OK, rss ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8", xml);
        });
}
