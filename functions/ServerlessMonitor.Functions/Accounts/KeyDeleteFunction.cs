using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>DELETE /api/keys/&lt;id&gt;: revokes a key at once (the calling key included).</summary>
public sealed class KeyDeleteFunction(Keys keys, ILogger<KeyDeleteFunction> logger)
{
    [Function("keys-delete")]
    [ApiOperation("Revoke an API key (it stops working at once)", "keys", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status204NoContent, "Revoked")]
    [ApiResponse(StatusCodes.Status404NotFound, "No such key of this account", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "keys/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            await keys.DeleteAsync(caller.AccountId, PathId.Require(id, Ids.Key, "API key"), cancellationToken).ConfigureAwait(false);
            return new StatusCodeResult(StatusCodes.Status204NoContent);
        });
}
