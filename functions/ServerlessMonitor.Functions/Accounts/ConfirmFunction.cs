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
    [ApiOperation("Confirm: activate an account (showing its first API key once), issue a new key for a lost-key link, verify a channel, or accept an invitation to a monitor's alerts", "accounts")]
    [ApiResponse(StatusCodes.Status200OK, "Done (an HTML page, or JSON with Accept: application/json)", typeof(ConfirmedBody))]
    [ApiResponse(StatusCodes.Status409Conflict, "Not now: busy, or an invitation whose address has no account yet (account_needed; the link keeps working)", typeof(ApiError))]
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
                return json ? JsonAnswer.Ok(Body(confirmed)) : new HtmlAnswer(StatusCodes.Status200OK, ConfirmPages.Done(confirmed));
            },
            refusal => ConfirmAnswers.Refused(refusal, json));
    }

    private static ConfirmedBody Body(Confirmed confirmed) => confirmed switch
    {
        AccountConfirmed account => new ConfirmedBody("account", AccountId: account.AccountId, ApiKey: account.ApiKey),
        ChannelVerified channel => new ConfirmedBody("channel", ChannelId: channel.ChannelId, Status: "verified"),
        InvitationAccepted invitation => new ConfirmedBody("receiver", MonitorId: invitation.MonitorId, Status: "accepted"),
        _ => throw new ArgumentOutOfRangeException(nameof(confirmed), confirmed, null),
    };
}
