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

    /// <summary>Incidents with their timelines, alerts and notes (IncidentStore).</summary>
    public const string Incidents = "incidents";

    /// <summary>Every message sent, with its status, and the sending budget (DeliveryStore).</summary>
    public const string Deliveries = "deliveries";

    /// <summary>Planned retries of deliveries (DeliveryRetryQueue); the delivery-retry function reads it.</summary>
    public const string DeliveryRetries = "delivery-retries";

    /// <summary>Continuations of a retention run that had more to delete than one round may (RetentionQueue).</summary>
    public const string RetentionRounds = "retention-rounds";

    /// <summary>Every probe result, keyed by (monitor, region, scheduled minute) (ResultStore).</summary>
    public const string Results = "results";

    /// <summary>Per monitor and hour: counts and latency percentiles (RollupStore).</summary>
    public const string Rollups = "rollups";

    /// <summary>Per monitor: confirmed outages, suppressed and paused time by month, and what is still open (UptimeStore).</summary>
    public const string Uptime = "uptime";

    /// <summary>What each region reported in a cycle, and each region's latest standing (CycleStore, RegionStore).</summary>
    public const string Cycles = "cycles";

    /// <summary>Region heartbeats and the verdict step's own (RegionStore).</summary>
    public const string Regions = "regions";

    /// <summary>Monitors probed every minute while an incident is open (RecheckStore).</summary>
    public const string Rechecks = "rechecks";

    /// <summary>Public status pages and the pointers to them by owner and monitor (StatusPageStore).</summary>
    public const string StatusPages = "statuspages";

    /// <summary>
    /// The queue trigger's name for <see cref="ProbeShards"/>: the Functions host and the local
    /// runtime both expand %SM_REGION% from the app's settings, so each region polls its own.
    /// </summary>
    public const string ProbeShardsBinding = "probe-shards-%SM_REGION%";

    public static IReadOnlyList<string> Tables { get; } = [Accounts, Confirmations, Monitors, Incidents, Deliveries, Results, Rollups, Uptime, Cycles, Regions, Rechecks, StatusPages];

    /// <summary>Queues the whole deployment shares.</summary>
    public static IReadOnlyList<string> Queues { get; } = [DeliveryRetries, RetentionRounds];

    /// <summary>
    /// Queues each region has its own of, named as their triggers name them (%SM_REGION%). Locally
    /// a region's shard queue is created by its first fan-out; in Azure the infra creates them.
    /// </summary>
    public static IReadOnlyList<string> RegionalQueues { get; } = [ProbeShardsBinding];

    /// <summary>
    /// A region's shard queue: monitors due beyond one instance's budget wait here for the
    /// region's own instances, never another region's (they would probe from the wrong place).
    /// </summary>
    public static string ProbeShards(string region) => $"probe-shards-{KeyPart.Checked(region, nameof(region))}";
}
