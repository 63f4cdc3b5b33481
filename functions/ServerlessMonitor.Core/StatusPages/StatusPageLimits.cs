namespace ServerlessMonitor.Core.StatusPages;

/// <summary>What one page and one account may hold: a page is read whole on every view, so it stays bounded.</summary>
public static class StatusPageLimits
{
    public const int MaxTitleLength = 100;
    public const int MaxDisplayNameLength = 100;
    public const int MaxMonitors = 100;
    public const int MaxPagesPerAccount = 20;
}
