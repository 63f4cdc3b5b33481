using System.Net;
using Microsoft.AspNetCore.Http;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Functions.Http;

/// <summary>
/// The address a request came from, for per-client limits. Locally it is the connection's peer:
/// nothing stands in front, and a header is whatever the client wrote. In Azure the Functions
/// host forwards requests to the worker over loopback, and App Service's front end appends the
/// address it saw to X-Forwarded-For; so there the last entry of that header is the client, and
/// anything before it is the client's own claim, ignored.
/// </summary>
public static class ClientAddress
{
    public static IPAddress Of(HttpRequest request, MonitorConfig config)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(config);
        var peer = request.HttpContext.Connection.RemoteIpAddress ?? IPAddress.IPv6None;
        if (config.Mode != RuntimeMode.Azure || !IPAddress.IsLoopback(peer))
        {
            return peer;
        }

        var last = request.Headers["X-Forwarded-For"].ToString().Split(',').Select(s => s.Trim()).LastOrDefault(s => s.Length > 0);
        return Parse(last) ?? peer;
    }

    /// <summary>An address, with or without a port (the front end writes 203.0.113.7:51234).</summary>
    private static IPAddress? Parse(string? text) =>
        IPAddress.TryParse(text, out var address) ? address
        : IPEndPoint.TryParse(text ?? string.Empty, out var endpoint) ? endpoint.Address
        : null;
}
