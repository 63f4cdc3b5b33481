using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// The SDK clients for the app's storage account, built once per process: they hold connection
/// pools worth reusing. With identity-based settings they authenticate as the app's managed identity.
/// </summary>
public sealed class StorageClients
{
    public StorageClients(MonitorConfig config)
    {
        switch (config.Storage)
        {
            case StorageConfig.ConnectionString c:
                Tables = new TableServiceClient(c.Value);
                Queues = new QueueServiceClient(c.Value, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
                break;
            case StorageConfig.Identity i:
                TokenCredential credential = i.ClientId is null
                    ? new DefaultAzureCredential()
                    : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(i.ClientId));
                Tables = new TableServiceClient(i.TableUri, credential);
                Queues = new QueueServiceClient(i.QueueUri, credential, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
                break;
            default:
                throw new InvalidOperationException($"unknown storage configuration {config.Storage.GetType().Name}");
        }
    }

    public TableServiceClient Tables { get; }

    /// <summary>Base64 messages, as host.json's queues.messageEncoding tells the Functions host.</summary>
    public QueueServiceClient Queues { get; }

    public TableClient Table(string name) => Tables.GetTableClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    /// <summary>Creates every table and queue the app uses (idempotent).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var table in StorageNames.Tables)
        {
            await Tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in StorageNames.Queues)
        {
            await Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
