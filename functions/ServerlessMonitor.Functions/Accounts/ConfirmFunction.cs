using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>POST /api/confirm/&lt;token&gt;: confirms, once. A new account's first API key is shown this once.</summary>
public sealed class ConfirmFunction(Confirmations confirmations, ILogger<ConfirmFunction> logger)
{
    [Function("confirm")]
    [ApiOperation("Confirm: activate an account (showing its first API key once) or, for a lost-key link, issue a new key", "accounts")]
    [ApiResponse(StatusCodes.Status200OK, "Done (an HTML page, or JSON with Accept: application/json)", typeof(AccountConfirmedBody))]
    [ApiResponse(StatusCodes.Status409Conflict, "Busy: try again", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status410Gone, "Expired, altered or used link; nothing changed", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "confirm/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken)
    {
        var json = ConfirmAnswers.WantsJson(request);
        return ApiEndpoint.RunAsync(
            logger,
            async () =>
            {
                var confirmed = await confirmations.ConfirmAsync(token, cancellationToken).ConfigureAwait(false);
                return json ? JsonAnswer.Ok(new AccountConfirmedBody("account", confirmed.AccountId, confirmed.ApiKey)) : new HtmlAnswer(StatusCodes.Status200OK, ConfirmPages.Key(confirmed));
            },
            refusal => ConfirmAnswers.Refused(refusal, json));
    }
}
