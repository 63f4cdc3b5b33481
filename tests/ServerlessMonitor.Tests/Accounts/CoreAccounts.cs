using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMonitor.Core;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>The app's service graph over a test's own Azurite, with a clock the test moves.</summary>
public static class CoreAccounts
{
    public static async Task<ServiceProvider> StartAsync(string connectionString, TimeProvider time, RuntimeMode mode = RuntimeMode.Local, string? tokenSecret = AccountsRuntime.TokenSecret, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(settings ?? [])
        {
            [SettingCatalog.Storage] = connectionString,
            [SettingCatalog.TokenSecret] = tokenSecret,
            [SettingCatalog.DataDir] = Path.Combine(Path.GetTempPath(), "sm-tests", $"core-{Guid.NewGuid():N}"),
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddServerlessMonitor(configuration, mode)
            .BuildServiceProvider();
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        return services;
    }
}
