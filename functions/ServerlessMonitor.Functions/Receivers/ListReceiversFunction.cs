using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>GET /api/monitors/&lt;id&gt;/receivers: who the owner invited, and their answers.</summary>
public sealed class ListReceiversFunction(Keys keys, Invitations invitations, ILogger<ListReceiversFunction> logger)
{
    [Function("receivers-list")]
    [ApiOperation("Who is invited to receive the alerts of a monitor, and their answers (owner only)", "receivers", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "The receivers, oldest invitation first", typeof(ReceiverBody[]))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such monitor visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitors/{id}/receivers")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var receivers = await invitations.ListAsync(caller.AccountId, PathId.Require(id, Ids.Monitor, "monitor"), cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok(receivers.Select(ReceiverBody.From).ToArray());
        });
}
