using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>POST /api/keys: another key for an integration, or a read-only one for a dashboard.</summary>
public sealed class CreateKeyFunction(Keys keys, ILogger<CreateKeyFunction> logger)
{
    [Function("keys-create")]
    [ApiOperation("A new API key, shown once", "keys", Auth = ApiAuth.Key, Body = typeof(KeyCreateRequest))]
    [ApiResponse(StatusCodes.Status201Created, "The new key", typeof(KeyCreatedBody))]
    [ApiResponse(StatusCodes.Status409Conflict, "The account has 50 keys already (too_many_keys)", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "keys")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var body = (await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false)).Strict<KeyCreateRequest>();
            var readOnly = body.Boolean("readOnly", required: true)!.Value;
            var label = body.Text("label", 100, required: false);
            var (record, text) = await keys.CreateAsync(caller.AccountId, readOnly, label, cancellationToken).ConfigureAwait(false);
            return new JsonAnswer(StatusCodes.Status201Created, new KeyCreatedBody(record.Id, text, record.ReadOnly, record.CreatedAt, record.Label));
        });
}
