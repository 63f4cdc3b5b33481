using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Incidents;

/// <summary>
/// GET /api/incident-pages/&lt;token&gt;: the page the link in an alert opens, for a person on a
/// phone with no API key. The signed, expiring token is the permission; it shows one incident.
/// </summary>
public sealed class IncidentPageFunction(IncidentQueries queries, ILogger<IncidentPageFunction> logger)
{
    [Function("incident-page")]
    [ApiOperation("The incident an alert links to, as a read-only page (the signed, expiring link is the permission)", "incidents")]
    [ApiResponse(StatusCodes.Status200OK, "The page (HTML)")]
    [ApiResponse(StatusCodes.Status404NotFound, "The incident is no longer stored (HTML)")]
    [ApiResponse(StatusCodes.Status410Gone, "Expired or altered link (HTML)")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "incident-pages/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(
            logger,
            async () => new HtmlAnswer(StatusCodes.Status200OK, IncidentPageHtml.Render(await queries.ByPageTokenAsync(token, cancellationToken).ConfigureAwait(false))),
            refusal => refusal.Kind switch
            {
                RefusalKind.Gone => new HtmlAnswer(StatusCodes.Status410Gone, IncidentPageHtml.Problem("Link no longer valid", "This incident link has expired or is not valid. The monitor's owner and receivers can still read the incident through the API.")),
                RefusalKind.NotFound => new HtmlAnswer(StatusCodes.Status404NotFound, IncidentPageHtml.Problem("No such incident", "This incident is no longer kept.")),
                _ => Refusals.Answer(refusal),
            });
}
