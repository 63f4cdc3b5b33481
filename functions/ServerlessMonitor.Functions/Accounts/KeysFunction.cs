using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>GET|POST /api/keys: an account's API keys; more of them for integrations, read-only ones for dashboards.</summary>
public sealed class KeysFunction(Keys keys, ILogger<KeysFunction> logger)
{
    [Function("keys")]
    [ApiOperation("GET: the account's API keys, oldest first (never the keys themselves). POST: a new key, shown once", "keys", Auth = ApiAuth.Key, Body = typeof(KeyCreateRequest))]
    [ApiResponse(StatusCodes.Status200OK, "The keys", typeof(KeyBody[]))]
    [ApiResponse(StatusCodes.Status201Created, "The new key", typeof(KeyCreatedBody))]
    [ApiResponse(StatusCodes.Status409Conflict, "The account has 50 keys already (too_many_keys)", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "keys")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            if (HttpMethods.IsGet(request.Method))
            {
                return JsonAnswer.Ok((await keys.ListAsync(caller.AccountId, cancellationToken).ConfigureAwait(false)).Select(KeyBody.From).ToArray());
            }

            var body = (await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false)).Strict<KeyCreateRequest>();
            var readOnly = body.Boolean("readOnly", required: true)!.Value;
            var label = body.Text("label", 100, required: false);
            var (record, text) = await keys.CreateAsync(caller.AccountId, readOnly, label, cancellationToken).ConfigureAwait(false);
            return new JsonAnswer(StatusCodes.Status201Created, new KeyCreatedBody(record.Id, text, record.ReadOnly, record.CreatedAt, record.Label));
        });
}
