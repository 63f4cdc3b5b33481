using System.Globalization;
using Microsoft.AspNetCore.Http;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Functions.Http;

/// <summary>A domain refusal as the API.md error answer, with Retry-After or WWW-Authenticate where due.</summary>
public static class Refusals
{
    public static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.Gone => StatusCodes.Status410Gone,
        RefusalKind.RateLimited => StatusCodes.Status429TooManyRequests,
        RefusalKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static JsonAnswer Answer(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var headers = new Dictionary<string, string>();
        if (refusal.RetryAfter is { } wait)
        {
            headers["Retry-After"] = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (refusal.Kind == RefusalKind.Unauthenticated)
        {
            headers["WWW-Authenticate"] = "Bearer";
        }

        return ApiError.Answer(StatusOf(refusal.Kind), refusal.Code, refusal.Message, refusal.Field, headers);
    }
}
