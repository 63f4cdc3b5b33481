using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessMonitor.Functions.Http;

/// <summary>
/// What anyone may fetch without a key and a CDN may keep for a minute (status pages, feeds,
/// badges): Cache-Control public, max-age=60. Pages get the same strict CSP as the other
/// pages, with data: images allowed for the empty favicon (so browsers ask for no /favicon.ico).
/// </summary>
public sealed class PublicAnswer(int status, string contentType, string body) : IActionResult
{
    public const int MaxAgeSeconds = 60;

    public int Status { get; } = status;

    public string ContentType { get; } = contentType;

    public string Body { get; } = body;

    public static PublicAnswer Html(int status, string html) => new(status, "text/html; charset=utf-8", html);

    public static PublicAnswer Svg(string svg) => new(200, "image/svg+xml; charset=utf-8", svg);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;

        // A 404 is not kept: the page may be published a moment later.
        response.Headers.CacheControl = Status == 200 ? $"public, max-age={MaxAgeSeconds}" : "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        if (ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
            response.Headers.XFrameOptions = "DENY";
        }
        else if (ContentType.StartsWith("image/svg+xml", StringComparison.Ordinal))
        {
            // An SVG opened on its own is a document: it may draw, never run anything.
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        }

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(Body), context.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
