using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Functions.Http;

/// <summary>A path segment that must be an id of one kind: anything else is a 404 before storage is asked (and after authentication).</summary>
public static class PathId
{
    public static string Require(string? value, char kind, string what) =>
        Ids.Is(value, kind) ? value! : throw Refusal.NotFound(what);
}
