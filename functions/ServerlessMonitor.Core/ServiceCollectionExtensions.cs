using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Acs;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Incidents;
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
        services.AddSingleton(MessageSender);
        services.AddSingleton<AccountStore>();
        services.AddSingleton<ConfirmationStore>();
        services.AddSingleton<ConfirmationLinks>();
        services.AddSingleton<Signups>();
        services.AddSingleton<Confirmations>();
        services.AddSingleton<Keys>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<IncidentQueries>();
        services.AddSingleton<IncidentLinks>();
        services.AddSingleton<AlertMessages>();
        return services;
    }

    /// <summary>
    /// Through ACS in Azure, where a kind ACS is not configured for cannot be sent (never a file).
    /// The local runtime writes its outbox, unless ACS is configured for it (SM_ACS_CONNECTION_STRING).
    /// </summary>
    private static IMessageSender MessageSender(IServiceProvider services)
    {
        var config = services.GetRequiredService<MonitorConfig>();
        var time = services.GetRequiredService<TimeProvider>();
        var acs = AcsChannels.FromConfig(config, time);
        return config.Mode == RuntimeMode.Local && acs is { Email: null, Sms: null }
            ? new OutboxSender(Path.Combine(config.DataDir, "outbox.jsonl"), time)
            : new AcsMessageSender(acs, time);
    }
}
