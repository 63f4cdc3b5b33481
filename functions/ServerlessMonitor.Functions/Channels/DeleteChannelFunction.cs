using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Channels;

/// <summary>DELETE /api/channels/&lt;id&gt;: the channel gets no more alerts from this moment.</summary>
public sealed class DeleteChannelFunction(Keys keys, AccountChannels channels, ILogger<DeleteChannelFunction> logger)
{
    [Function("channels-delete")]
    [ApiOperation("Remove a channel: it gets no more alerts from this moment", "channels", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status204NoContent, "Removed")]
    [ApiResponse(StatusCodes.Status404NotFound, "No such channel of this account", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "channels/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            await channels.DeleteAsync(caller.AccountId, PathId.Require(id, Ids.Channel, "channel"), cancellationToken).ConfigureAwait(false);
            return new StatusCodeResult(StatusCodes.Status204NoContent);
        });
}
