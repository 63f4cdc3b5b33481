using System.Text.Json;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>An ACS answer that refused a request, as a delivery outcome.</summary>
internal static class AcsFailure
{
    public static DeliveryOutcome.Failed From(AcsAnswer answer)
    {
        var message = ErrorMessage(answer);

        // ACS is still working on the original of this repeatable request: ask again later,
        // with the same id, since it may yet go out.
        return answer.Status == 409
            ? new DeliveryOutcome.Failed(RetryKind.Uncertain, $"HTTP 409: {message}", 409, answer.RetryAfter)
            : DeliveryFailure.FromStatus(answer.Status, message, answer.RetryAfter);
    }

    private static string ErrorMessage(AcsAnswer answer)
    {
        try
        {
            var error = answer.Content.ToObjectFromJson<AcsErrorResponse>(AcsClient.Json)?.Error;
            if (error?.Message is { Length: > 0 } message)
            {
                return error.Code is null ? message : $"{error.Code}: {message}";
            }
        }
        catch (JsonException)
        {
            // Not the documented error body (a gateway's page, say): the reason phrase must do.
        }

        return string.IsNullOrEmpty(answer.ReasonPhrase) ? "no reason given" : answer.ReasonPhrase;
    }
}
