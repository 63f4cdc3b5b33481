using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>An Azurite of the test class's own with every table created, and the app's storage clients for it.</summary>
public sealed class StoreFixture : IAsyncLifetime
{
    private readonly AzuriteFixture azurite = new();

    public StorageClients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [SettingCatalog.Storage] = azurite.ConnectionString }).Build();
        Clients = new StorageClients(MonitorConfig.Load(configuration, RuntimeMode.Local));
        await Clients.EnsureCreatedAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => azurite.DisposeAsync();
}
