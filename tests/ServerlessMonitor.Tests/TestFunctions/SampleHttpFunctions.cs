using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMonitor.Functions.Http;

namespace ServerlessMonitor.Tests.TestFunctions;

/// <summary>
/// HTTP functions of the tests' own, to exercise the local runtime's routing the way the
/// Functions host routes: parameters, literals next to parameters, catch-all, bodies, 204, and a
/// function that throws.
/// </summary>
public static class SampleHttpFunctions
{
    [Function("sample-item-get")]
    public static IActionResult GetItem([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "test/items/{id}")] HttpRequest request, string id) =>
        JsonAnswer.Ok(new { id, q = request.Query["q"].ToString() });

    [Function("sample-item-special")]
    public static IActionResult GetSpecial([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "test/items/special")] HttpRequest request) =>
        JsonAnswer.Ok(new { literal = true });

    [Function("sample-item-put")]
    public static Task<IActionResult> PutItem([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "test/items/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(NullLogger.Instance, async () =>
        {
            var body = await JsonBody.ReadObjectAsync(request, cancellationToken);
            return new JsonAnswer(StatusCodes.Status201Created, new { id, name = body.String("name", required: true) });
        });

    [Function("sample-item-delete")]
    public static IActionResult DeleteItem([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "test/items/{id}")] HttpRequest request, string id) =>
        new NoContentResult();

    [Function("sample-files")]
    public static IActionResult GetFile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "test/files/{*path}")] HttpRequest request, string path) =>
        JsonAnswer.Ok(new { path });

    [Function("sample-crash")]
    public static IActionResult Crash([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "test/crash")] HttpRequest request) =>
        throw new InvalidOperationException("boom: a secret detail");
}
