using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>PUT /api/monitors/&lt;id&gt;/receivers/me: the invitee accepts or refuses, and sets its own path.</summary>
public sealed class AnswerInvitationFunction(Keys keys, Receiving receiving, ILogger<AnswerInvitationFunction> logger)
{
    [Function("receivers-answer")]
    [ApiOperation("Accept or refuse an invitation to a monitor's alerts, and set your own path over your own channels", "receivers", Auth = ApiAuth.Key, Body = typeof(ReceiverAnswerRequest))]
    [ApiResponse(StatusCodes.Status200OK, "Your answer and path", typeof(ReceivingBody))]
    [ApiResponse(StatusCodes.Status404NotFound, "No invitation for your address on this monitor", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "monitors/{id}/receivers/me")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var monitorId = PathId.Require(id, Ids.Monitor, "monitor");
            var answer = ReceiverAnswerInput.Parse((await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false)).Element);
            return JsonAnswer.Ok(ReceivingBody.From(await receiving.AnswerAsync(caller.AccountId, monitorId, answer, cancellationToken).ConfigureAwait(false)));
        });
}
