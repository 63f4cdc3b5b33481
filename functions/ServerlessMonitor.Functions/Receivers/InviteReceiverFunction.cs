using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>POST /api/monitors/&lt;id&gt;/receivers: the owner invites an address to receive the monitor's alerts.</summary>
public sealed class InviteReceiverFunction(Keys keys, Invitations invitations, ILogger<InviteReceiverFunction> logger)
{
    [Function("receivers-invite")]
    [ApiOperation("Invite an address to receive the alerts of a monitor (owner only); the invitee accepts by the link it gets, or through its own API key", "receivers", Auth = ApiAuth.Key, Body = typeof(ReceiverInviteRequest))]
    [ApiResponse(StatusCodes.Status201Created, "Invited: a message with an acceptance link went to the address", typeof(ReceiverBody))]
    [ApiResponse(StatusCodes.Status200OK, "Invited before (a pending invitation is sent again)", typeof(ReceiverBody))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status409Conflict, "The monitor has 20 receivers already (too_many_receivers)", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status429TooManyRequests, "This address was invited 3 times in a day, the account sent its 50 invitations of the day, or the hour's share of the sending budget for confirmations is used up (Retry-After says when to try again)", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "monitors/{id}/receivers")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var monitorId = PathId.Require(id, Ids.Monitor, "monitor");
            var body = (await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false)).Strict<ReceiverInviteRequest>();
            var email = EmailAddress.Normalize(body.String("email", required: true)!) ?? throw ApiProblem.Invalid("not an email address", "email");
            var (receiver, created) = await invitations.InviteAsync(caller.AccountId, monitorId, email, cancellationToken).ConfigureAwait(false);
            return new JsonAnswer(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, ReceiverBody.From(receiver));
        });
}
