using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>GET /api/keys: the account's keys, oldest first; never the keys themselves.</summary>
public sealed class ListKeysFunction(Keys keys, ILogger<ListKeysFunction> logger)
{
    [Function("keys-list")]
    [ApiOperation("The account's API keys, oldest first (never the keys themselves)", "keys", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "The keys", typeof(KeyBody[]))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "keys")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok((await keys.ListAsync(caller.AccountId, cancellationToken).ConfigureAwait(false)).Select(KeyBody.From).ToArray());
        });
}
