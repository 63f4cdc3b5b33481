using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Receivers;

/// <summary>GET /api/receiving: the invitations to the caller's address, its answers and paths.</summary>
public sealed class ListReceivingFunction(Keys keys, Receiving receiving, ILogger<ListReceivingFunction> logger)
{
    [Function("receiving-list")]
    [ApiOperation("Invitations to your address and your answers: the monitors whose alerts you receive or may receive", "receivers", Auth = ApiAuth.Key)]
    [ApiResponse(StatusCodes.Status200OK, "Invitations, oldest first", typeof(ReceivingBody[]))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "receiving")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            return JsonAnswer.Ok((await receiving.ListAsync(caller.AccountId, cancellationToken).ConfigureAwait(false)).Select(ReceivingBody.From).ToArray());
        });
}
