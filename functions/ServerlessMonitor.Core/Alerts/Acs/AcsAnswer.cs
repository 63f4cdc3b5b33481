using Azure;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>What ACS answered, kept after the pipeline's message (and its response) is disposed.</summary>
/// <param name="RetryAfter">The Retry-After header, read when the answer arrived.</param>
/// <param name="OperationLocation">Email only: where to poll the send operation.</param>
internal sealed record AcsAnswer(int Status, string ReasonPhrase, TimeSpan? RetryAfter, string? OperationLocation, BinaryData Content)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public static AcsAnswer From(Response response, DateTimeOffset now) => new(
        response.Status,
        response.ReasonPhrase,
        response.Headers.TryGetValue("Retry-After", out var retryAfter) ? RetryAfterHeader.Parse(retryAfter, now) : null,
        response.Headers.TryGetValue("Operation-Location", out var location) ? location : null,
        BinaryData.FromBytes(response.Content.ToArray()));
}
