using System.Net.Http.Headers;
using System.Text;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>One drawn request of a write-route fuzz.</summary>
public sealed record FuzzRequest(string Method, string Path, byte[]? Body, string? Authorization, string? ContentType, string? Accept)
{
    public HttpRequestMessage ToMessage()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        if (Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }

        if (Accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(Accept));
        }

        return request;
    }

    public override string ToString() =>
        $"{Method} {Path} [{ContentType}] auth={Authorization?[..Math.Min(12, Authorization.Length)]} body={(Body is null ? "none" : Encoding.UTF8.GetString(Body[..Math.Min(120, Body.Length)]))}";
}
