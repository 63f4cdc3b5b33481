using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>
/// /api/confirm/&lt;token&gt;: GET shows what the link confirms, with a button, and changes nothing
/// (mail scanners follow links); POST confirms. Pages for people, JSON for programs that ask.
/// </summary>
public sealed class ConfirmFunction(Confirmations confirmations, ILogger<ConfirmFunction> logger)
{
    [Function("confirm")]
    [ApiOperation("A confirmation link: GET shows a page with a button (changes nothing); POST confirms, showing a new account's first API key once", "accounts")]
    [ApiResponse(StatusCodes.Status200OK, "The page (JSON with Accept: application/json: the preview on GET, the result on POST)", typeof(AccountConfirmedBody))]
    [ApiResponse(StatusCodes.Status409Conflict, "Busy: try again", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status410Gone, "Expired, altered or used link; nothing changed", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "confirm/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var json = WantsJson(request);
        return ApiEndpoint.RunAsync(
            logger,
            async () =>
            {
                if (HttpMethods.IsGet(request.Method))
                {
                    var preview = await confirmations.PreviewAsync(token, cancellationToken).ConfigureAwait(false);
                    return json ? JsonAnswer.Ok(new ConfirmationPreviewBody(preview.Kind, preview.Action)) : new HtmlAnswer(StatusCodes.Status200OK, ConfirmPages.Confirm(preview));
                }

                var confirmed = await confirmations.ConfirmAsync(token, cancellationToken).ConfigureAwait(false);
                return json ? JsonAnswer.Ok(new AccountConfirmedBody("account", confirmed.AccountId, confirmed.ApiKey)) : new HtmlAnswer(StatusCodes.Status200OK, ConfirmPages.Key(confirmed));
            },
            refusal => json
                ? Refusals.Answer(refusal)
                : new HtmlAnswer(Refusals.StatusOf(refusal.Kind), ConfirmPages.Problem(refusal.Kind == RefusalKind.Gone ? "This link no longer works" : "Not now", refusal.Message)));
    }

    /// <summary>Programs ask for JSON; browsers (which also accept anything) get the page.</summary>
    private static bool WantsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }
}
