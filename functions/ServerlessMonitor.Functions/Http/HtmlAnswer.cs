using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessMonitor.Functions.Http;

/// <summary>
/// A page for people, with the headers every page carries: no caching (pages can show a key),
/// a CSP that allows nothing but inline style and posting back to this site, and no framing.
/// </summary>
public sealed class HtmlAnswer(int status, string html) : IActionResult
{
    public int Status { get; } = status;

    public string Html { get; } = html;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        response.Headers.XFrameOptions = "DENY";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(Html), context.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
