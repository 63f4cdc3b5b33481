namespace ServerlessMonitor.Core.Retention;

/// <summary>What one round of retention did: rows found per kind, and whether it got through everything due.</summary>
public sealed record PruneReport(IReadOnlyDictionary<string, int> Found, bool Finished)
{
    public int Total => Found.Values.Sum();
}
