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

    /// <summary>Every message sent, with its status, and the sending budget (DeliveryStore).</summary>
    public const string Deliveries = "deliveries";

    /// <summary>Planned retries of deliveries (DeliveryRetryQueue); the delivery-retry function reads it.</summary>
    public const string DeliveryRetries = "delivery-retries";

    public static IReadOnlyList<string> Tables { get; } = [Accounts, Confirmations, Deliveries];

    public static IReadOnlyList<string> Queues { get; } = [DeliveryRetries];
}
