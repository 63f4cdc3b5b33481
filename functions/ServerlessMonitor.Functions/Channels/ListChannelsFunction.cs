using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Channels;

/// <summary>GET /api/channels: the account's channels, oldest first; never a signing secret.</summary>
public sealed class ListChannelsFunction(Keys keys, AccountChannels channels, ILogger<ListChannelsFunction> logger)
{
    [Function("channels-list")]
    [ApiOperation("The account's channels, oldest first", "channels", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "The channels", typeof(ChannelBody[]))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok((await channels.ListAsync(caller.AccountId, cancellationToken).ConfigureAwait(false)).Select(c => ChannelBody.From(c)).ToArray());
        });
}
