using System.Net;
using System.Text;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>An HTTP handler that keeps each request (headers and body) and answers with a fixed status and JSON.</summary>
internal sealed class CapturingHandler(HttpStatusCode status, string json) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add((request, body));
        return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
