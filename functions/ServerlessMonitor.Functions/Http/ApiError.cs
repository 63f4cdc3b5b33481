using Microsoft.AspNetCore.Http;

namespace ServerlessMonitor.Functions.Http;

/// <summary>The error body of every 4xx/5xx answer (API.md): { "error": { "code", "message", "field"? } }.</summary>
public sealed record ApiError(ApiError.Detail Error)
{
    public sealed record Detail(string Code, string Message, string? Field = null);

    public static JsonAnswer Answer(int status, string code, string message, string? field = null, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new ApiError(new Detail(code, message, field)), headers);

    public static JsonAnswer NotFound(string message = "no such resource") => Answer(StatusCodes.Status404NotFound, "not_found", message);
}
