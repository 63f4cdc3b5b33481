using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>GET /api/confirm/&lt;token&gt;: what the link confirms, with a button. Changes nothing: mail scanners follow links.</summary>
public sealed class ConfirmPageFunction(Confirmations confirmations, ILogger<ConfirmPageFunction> logger)
{
    [Function("confirm-page")]
    [ApiOperation("What a confirmation link confirms: a page with a button that POSTs to the same URL (changes nothing)", "accounts")]
    [ApiResponse(StatusCodes.Status200OK, "The page (with Accept: application/json, what the link confirms)", typeof(ConfirmationPreviewBody))]
    [ApiResponse(StatusCodes.Status410Gone, "Expired, altered or used link", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "confirm/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken)
    {
        var json = ConfirmAnswers.WantsJson(request);
        return ApiEndpoint.RunAsync(
            logger,
            async () =>
            {
                var preview = await confirmations.PreviewAsync(token, cancellationToken).ConfigureAwait(false);
                return json ? JsonAnswer.Ok(new ConfirmationPreviewBody(preview.Kind, preview.Action)) : new HtmlAnswer(StatusCodes.Status200OK, ConfirmPages.Confirm(preview));
            },
            refusal => ConfirmAnswers.Refused(refusal, json));
    }
}
