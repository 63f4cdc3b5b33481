namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// A request the domain will not carry out, with the code and message the client sees. Thrown
/// before anything is stored, so a refused request changes nothing.
/// </summary>
public sealed class Refusal : Exception
{
    public Refusal(RefusalKind kind, string code, string message, string? field = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        Kind = kind;
        Code = code;
        Field = field;
        RetryAfter = retryAfter;
    }

    public RefusalKind Kind { get; }

    public string Code { get; }

    /// <summary>The dotted path of the input at fault, when one is.</summary>
    public string? Field { get; }

    public TimeSpan? RetryAfter { get; }

    public static Refusal Invalid(string message, string? field) => new(RefusalKind.Invalid, "validation", message, field);

    public static Refusal NotFound(string what) => new(RefusalKind.NotFound, "not_found", $"no such {what}");

    public static Refusal Gone(string message = "this link has expired, was already used, or is not valid") => new(RefusalKind.Gone, "gone", message);

    public static Refusal Busy(string message) => new(RefusalKind.Conflict, "busy", message);
}
