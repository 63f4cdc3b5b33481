using Azure;

namespace ServerlessMonitor.Core.Storage;

/// <summary>The Table Storage answers the stores treat as outcomes rather than failures.</summary>
internal static class TableErrors
{
    public static bool IsNotFound(this RequestFailedException e) => e.Status == 404;

    public static bool IsConflict(this RequestFailedException e) => e.Status == 409;

    /// <summary>The row changed since it was read (ETag mismatch).</summary>
    public static bool IsStale(this RequestFailedException e) => e.Status == 412;
}
