using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>
/// Signs each request with the ACS access key, as ACS checks it: the method, path and query,
/// date, host and a hash of the body, so a changed body, URL or replayed date is refused.
/// It sits after the retry policy: every try gets its own date.
/// </summary>
internal sealed class AcsHmacPolicy(byte[] key, TimeProvider time) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Sign(message, ContentHash(message, async: false).GetAwaiter().GetResult());
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Sign(message, await ContentHash(message, async: true).ConfigureAwait(false));
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    /// <summary>The string ACS signs: <c>METHOD\nPathAndQuery\ndate;host;contentHash</c>.</summary>
    internal static string StringToSign(string method, Uri uri, string date, string contentHash) =>
        $"{method}\n{uri.PathAndQuery}\n{date};{uri.Authority};{contentHash}";

    private void Sign(HttpMessage message, string contentHash)
    {
        var request = message.Request;
        var date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var stringToSign = StringToSign(request.Method.Method, request.Uri.ToUri(), date, contentHash);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", contentHash);
        request.Headers.SetValue("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
    }

    /// <summary>Base64 SHA-256 of the body as it will be sent; of no bytes when there is no body.</summary>
    private static async ValueTask<string> ContentHash(HttpMessage message, bool async)
    {
        using var body = new MemoryStream();
        if (message.Request.Content is { } content)
        {
            if (async)
            {
                await content.WriteToAsync(body, message.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                content.WriteTo(body, message.CancellationToken);
            }
        }

        return Convert.ToBase64String(SHA256.HashData(body.ToArray()));
    }
}
