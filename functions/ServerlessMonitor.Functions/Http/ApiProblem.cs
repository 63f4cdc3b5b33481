using Microsoft.AspNetCore.Http;

namespace ServerlessMonitor.Functions.Http;

/// <summary>What the HTTP layer refuses before the domain is asked (media type, size, JSON, shape); the endpoint answers it.</summary>
public sealed class ApiProblem : Exception
{
    public ApiProblem(int status, string code, string message, string? field = null)
        : base(message)
    {
        Answer = ApiError.Answer(status, code, message, field);
    }

    public JsonAnswer Answer { get; }

    /// <summary>400 validation: the first problem only, <paramref name="field"/> its dotted path.</summary>
    public static ApiProblem Invalid(string message, string? field) => new(StatusCodes.Status400BadRequest, "validation", message, field);
}
