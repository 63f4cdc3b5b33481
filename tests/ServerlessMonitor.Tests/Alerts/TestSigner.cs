using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// The ACS HMAC scheme written again from its documentation (learn.microsoft.com, "Sign an HTTP
/// request"), independent of the app's policy, to check the policy and to make raw requests.
/// </summary>
internal static class TestSigner
{
    public static string ContentHash(byte[] body) => Convert.ToBase64String(SHA256.HashData(body));

    public static string Authorization(string accessKey, string method, Uri uri, string date, string contentHash)
    {
        var stringToSign = method + "\n" + uri.PathAndQuery + "\n" + date + ";" + uri.Authority + ";" + contentHash;
        using var hmac = new HMACSHA256(Convert.FromBase64String(accessKey));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        return "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=" + signature;
    }

    /// <summary>A request signed at <paramref name="signedAt"/> for <paramref name="signedBody"/>, carrying <paramref name="sentBody"/>.</summary>
    public static HttpRequestMessage Request(string accessKey, Uri uri, byte[] signedBody, byte[] sentBody, DateTimeOffset signedAt)
    {
        var date = signedAt.ToString("r", CultureInfo.InvariantCulture);
        var hash = ContentHash(signedBody);
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(sentBody) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-content-sha256", hash);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(accessKey, "POST", uri, date, hash));
        return request;
    }
}
