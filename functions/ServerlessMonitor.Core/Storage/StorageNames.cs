namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Every table and queue the app uses: the one place that knows their names. Azure and Azurite
/// both see these; infra creates the same list (a test keeps them equal).
/// </summary>
public static class StorageNames
{
    /// <summary>Accounts and what belongs to one (AccountStore has the layout).</summary>
    public const string Accounts = "accounts";

    /// <summary>Outstanding double opt-ins (ConfirmationStore).</summary>
    public const string Confirmations = "confirmations";

    /// <summary>Monitors, their receivers, and the indexes by owner, receiver and Idempotency-Key (MonitorStore has the layout).</summary>
    public const string Monitors = "monitors";

    public static IReadOnlyList<string> Tables { get; } = [Accounts, Confirmations, Monitors];

    public static IReadOnlyList<string> Queues { get; } = [];
}
