using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The one service graph of the app. The App's Program.cs and the local runtime both call it,
    /// so both runtimes run the same objects. Settings are parsed here, once: a bad setting fails
    /// the start, not the first request.
    /// </summary>
    public static IServiceCollection AddServerlessMonitor(this IServiceCollection services, IConfiguration configuration, RuntimeMode mode = RuntimeMode.Azure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(MonitorConfig.Load(configuration, mode));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SchedulingClock>();
        services.AddSingleton<StorageClients>();
        services.AddSingleton<StorageHealth>();
        services.TryAddSingleton<IProbeNetwork>(_ => new ProbeNetwork());
        services.AddSingleton(sp => new ProbeOptions { AllowPrivateTargets = sp.GetRequiredService<MonitorConfig>().AllowPrivateTargets });
        services.AddSingleton<Prober>();
        return services;
    }
}
