namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Every table and queue the app uses: the one place that knows their names. Azure and Azurite
/// both see these; infra creates the same list (a test keeps them equal).
/// </summary>
public static class StorageNames
{
    public static IReadOnlyList<string> Tables { get; } = [];

    public static IReadOnlyList<string> Queues { get; } = [];
}
