using System.Net.Sockets;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Functions.Http;

/// <summary>
/// Runs a handler and turns what escapes it into the API's answers: a refusal becomes its 4xx,
/// storage that cannot be reached a 503, anything else a logged 500 that reveals nothing.
/// Every HTTP function's body goes through here, so they all fail alike.
/// </summary>
public static class ApiEndpoint
{
    public static async Task<IActionResult> RunAsync(ILogger logger, Func<Task<IActionResult>> handler, Func<Refusal, IActionResult>? refused = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (ApiProblem problem)
        {
            return problem.Answer;
        }
        catch (Refusal refusal)
        {
            return refused?.Invoke(refusal) ?? Refusals.Answer(refusal);
        }
        catch (Exception e) when (Unreachable(e))
        {
            logger.LogWarning("storage unavailable: {Error}", e.Message);
            return ApiError.Answer(StatusCodes.Status503ServiceUnavailable, "storage_unavailable", "storage is unreachable; try again shortly");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "unhandled error");
            return ApiError.Answer(StatusCodes.Status500InternalServerError, "internal", "internal error");
        }
    }

    /// <summary>A storage call that never got an answer (refused, reset, timed out).</summary>
    private static bool Unreachable(Exception e) => e switch
    {
        RequestFailedException { Status: 0 } => true,
        AggregateException a => a.InnerExceptions.All(Unreachable),
        HttpRequestException or SocketException => true,
        _ => false,
    };
}
