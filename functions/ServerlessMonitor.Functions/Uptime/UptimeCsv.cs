using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessMonitor.Functions.Uptime;

/// <summary>A CSV answer (RFC 4180: CRLF line ends, a header row) with the API's no-store header.</summary>
public sealed class UptimeCsv(string header, IEnumerable<string> rows) : IActionResult
{
    public string Text { get; } = string.Concat(new[] { header }.Concat(rows).Select(line => line + "\r\n"));

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = 200;
        response.ContentType = "text/csv; charset=utf-8; header=present";
        response.Headers.CacheControl = "no-store";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(Text), context.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
