using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>DELETE /api/monitors/&lt;id&gt;/receivers/&lt;receiver id or account id&gt;: the owner withdraws an invitation or subscription; a receiver may remove itself.</summary>
public sealed class RemoveReceiverFunction(Keys keys, Invitations invitations, ILogger<RemoveReceiverFunction> logger)
{
    [Function("receivers-delete")]
    [ApiOperation("Withdraw an invitation or subscription, named by receiver id (SHA-256 of the address) or account id (owner; a receiver may remove itself)", "receivers", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status204NoContent, "Withdrawn")]
    [ApiResponse(StatusCodes.Status403Forbidden, "A receiver removing someone else", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor or receiver", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "monitors/{id}/receivers/{receiverId}")] HttpRequest request,
        string id,
        string receiverId,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var monitorId = PathId.Require(id, Ids.Monitor, "monitor");
            await invitations.RemoveAsync(caller.AccountId, monitorId, ReceiverIds.Require(receiverId), cancellationToken).ConfigureAwait(false);
            return new StatusCodeResult(StatusCodes.Status204NoContent);
        });
}
