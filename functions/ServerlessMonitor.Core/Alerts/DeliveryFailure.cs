using System.Net.Http;
using Azure.Identity;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// Classifies a failed try the same way for every HTTP channel: whether the provider can have
/// acted on it decides whether a retry is safe, uncertain or pointless.
/// </summary>
public static class DeliveryFailure
{
    /// <summary>
    /// An HTTP answer. 429 is safe (the provider throttled before doing anything); 408 and 5xx are
    /// uncertain, 503 included, since a front end can answer it after the service acted; any other
    /// status will not change by asking again.
    /// </summary>
    public static DeliveryOutcome.Failed FromStatus(int status, string message, TimeSpan? retryAfter = null)
    {
        var retry = status switch
        {
            429 => RetryKind.Safe,
            408 or >= 500 => RetryKind.Uncertain,
            _ => RetryKind.Never,
        };
        return new DeliveryOutcome.Failed(retry, $"HTTP {status}: {message}", status, retryAfter);
    }

    /// <summary>
    /// A try that got no answer. Only failures that prove nothing was sent are safe: no name, no
    /// connection, no TLS session, no token. A timeout or a broken connection after the request
    /// left may have reached the provider.
    /// </summary>
    public static DeliveryOutcome.Failed FromException(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (NeverLeft(error))
        {
            return new DeliveryOutcome.Failed(RetryKind.Safe, $"not sent: {Describe(error)}");
        }

        var timedOut = Chain(error).Any(e => e is OperationCanceledException or TimeoutException);
        return new DeliveryOutcome.Failed(RetryKind.Uncertain, timedOut ? $"timed out: {Describe(error)}" : Describe(error));
    }

    private static bool NeverLeft(Exception error) => Chain(error).Any(e => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError } => true,
        AuthenticationFailedException => true,
        _ => false,
    });

    /// <summary>The innermost message says what went wrong; the outer ones say where.</summary>
    private static string Describe(Exception error) => Chain(error).Last().Message;

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
