namespace ServerlessMonitor.Core.Settings;

/// <summary>How the app reaches its storage account.</summary>
public abstract record StorageConfig
{
    private StorageConfig()
    {
    }

    public sealed record ConnectionString(string Value) : StorageConfig;

    /// <summary>Managed identity; <paramref name="ClientId"/> null means the system-assigned identity or a developer login.</summary>
    public sealed record Identity(Uri TableUri, Uri QueueUri, Uri BlobUri, string? ClientId) : StorageConfig;
}
