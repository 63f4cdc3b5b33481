using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Monitors;

/// <summary>
/// POST /api/monitors: registers a monitor. With an Idempotency-Key a retried request answers 200
/// with the monitor the first one made; the key with another body, or after its monitor was
/// deleted, is a 409 (docs/MONITORS.md).
/// </summary>
public sealed class MonitorCreateFunction(Keys keys, MonitorService monitors, ILogger<MonitorCreateFunction> logger)
{
    [Function("monitors-create")]
    [ApiOperation("Register a monitor (an Idempotency-Key header makes retries safe)", "monitors", Auth = ApiAuth.Key, Body = typeof(MonitorCreateRequest))]
    [ApiResponse(StatusCodes.Status201Created, "Registered", typeof(MonitorBody))]
    [ApiResponse(StatusCodes.Status200OK, "A repeat of a request with the same Idempotency-Key: the monitor it made", typeof(MonitorBody))]
    [ApiResponse(StatusCodes.Status409Conflict, "1000 monitors already (too_many_monitors), or the Idempotency-Key was used for another request or its monitor was deleted (idempotency_conflict)", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "monitors")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var key = IdempotencyKey.Parse(request.Headers.TryGetValue(IdempotencyKey.Header, out var header) ? header.ToString() : null);
            var body = await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
            var (monitor, created) = await monitors.CreateAsync(caller, body.Element, key, cancellationToken).ConfigureAwait(false);
            return new JsonAnswer(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, MonitorBody.From(monitor, AccessLevel.Owner));
        });
}
