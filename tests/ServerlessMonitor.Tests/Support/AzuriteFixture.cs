using ServerlessMonitor.Local.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>An Azurite of the test class's own, in memory, on ports the OS chose.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    public string ConnectionString => azurite!.ConnectionString;

    public AzuriteProcess Process => azurite!;

    public async Task InitializeAsync() => azurite = await AzuriteProcess.StartAsync(null, _ => { }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
