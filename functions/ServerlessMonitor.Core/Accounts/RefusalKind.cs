namespace ServerlessMonitor.Core.Accounts;

/// <summary>Why the domain said no; the HTTP layer maps each to its status code.</summary>
public enum RefusalKind
{
    Invalid,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    RateLimited,
    Unavailable,
}
