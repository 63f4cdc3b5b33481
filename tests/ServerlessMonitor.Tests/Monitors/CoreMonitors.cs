using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMonitor.Core;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>The app's service graph over a test's own Azurite, a clock the test moves, and the test's answer to which channels are whose.</summary>
public static class CoreMonitors
{
    public static async Task<ServiceProvider> StartAsync(string connectionString, TimeProvider time, IOwnChannels channels, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(settings ?? [])
        {
            [SettingCatalog.Storage] = connectionString,
            [SettingCatalog.DataDir] = Path.Combine(Path.GetTempPath(), "sm-tests", $"core-{Guid.NewGuid():N}"),
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton(time)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddServerlessMonitor(configuration, RuntimeMode.Local)
            .AddSingleton(channels)
            .BuildServiceProvider();
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        return services;
    }
}
