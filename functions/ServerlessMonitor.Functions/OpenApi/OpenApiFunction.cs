using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessMonitor.Core;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Functions.OpenApi;

/// <summary>GET /api/openapi.json: the whole API, described from the code.</summary>
public sealed class OpenApiFunction(MonitorConfig config)
{
    private static readonly Lock Gate = new();
    private static (string Server, string Json)? cached;

    [Function("openapi")]
    [ApiOperation("The OpenAPI 3.1 description of this API", "meta")]
    [ApiResponse(StatusCodes.Status200OK, "The document", ContentType = "application/json")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request)
    {
        var server = $"{config.PublicBase}/api";
        string json;
        lock (Gate)
        {
            if (cached is not { } c || c.Server != server)
            {
                cached = c = (server, OpenApiDocumentBuilder.ToJson(OpenApiDocumentBuilder.Build(typeof(OpenApiFunction).Assembly, server, AppInfo.Version)));
            }

            json = c.Json;
        }

        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new ContentResult { StatusCode = StatusCodes.Status200OK, Content = json, ContentType = "application/json; charset=utf-8" };
    }
}
