using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Acs;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Retention;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.StatusPages;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;

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
        services.AddSingleton(sp => sp.GetRequiredService<MonitorConfig>().Dnsbl);
        services.AddSingleton(sp => new ProbeOptions
        {
            AllowPrivateTargets = sp.GetRequiredService<MonitorConfig>().AllowPrivateTargets,
            Dnsbl = sp.GetRequiredService<DnsblConfig>().ToOptions(sp.GetRequiredService<TimeProvider>()),
        });
        services.AddSingleton<Prober>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<DeliveryRetryQueue>();
        services.AddSingleton<SendingBudget>();
        services.TryAddSingleton(new DeliveryPolicy());
        services.AddSingleton(Channels);
        services.AddSingleton<IChannelDirectory, ChannelDirectory>();
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<IMessageSender>(sp => sp.GetRequiredService<DeliverySender>());
        services.AddSingleton<AccountStore>();
        services.AddSingleton<ConfirmationStore>();
        services.AddSingleton<MonitorStore>();
        services.AddSingleton<ResultStore>();
        services.AddSingleton<RollupStore>();
        services.AddSingleton<UptimeStore>();
        services.AddSingleton<UptimeRecorder>();
        services.AddSingleton<DeploymentSuppression>();
        services.AddSingleton<IUptimeSource, UptimeSource>();
        services.AddSingleton<IVerdictHandoff, SuppressedMinutes>();
        services.AddSingleton<CycleStore>();
        services.AddSingleton<RegionStore>();
        services.AddSingleton<RecheckStore>();
        services.AddSingleton<CycleTiming>();
        services.AddSingleton<CanaryChecker>();
        services.AddSingleton<BatchProber>();
        services.AddSingleton<ProbeShards>();
        services.AddSingleton<ProbeCycle>();
        services.AddSingleton<MonitorStates>();
        services.AddSingleton<RegionOverview>();
        services.AddSingleton<VerdictStep>();
        services.AddSingleton<ResultRollup>();
        services.AddSingleton<MonitorAccess>();
        services.AddSingleton<TargetPolicy>();
        services.AddSingleton<MonitorService>();
        services.AddSingleton<IOwnChannels>(sp => sp.GetRequiredService<OwnChannels>());
        services.AddSingleton<ConfirmationLinks>();
        services.AddSingleton<Signups>();
        services.AddSingleton<Confirmations>();
        services.AddSingleton<Keys>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<IncidentQueries>();
        services.AddSingleton<IncidentLinks>();
        services.AddSingleton<AlertMessages>();
        services.AddSingleton<Destinations>();
        services.AddSingleton<CertificateNotices>();
        services.AddSingleton<SelfIncidentWork>();
        services.AddSingleton<IncidentWork>();
        services.AddSingleton<ChannelAddresses>();
        services.AddSingleton<AccountChannels>();
        services.AddSingleton<ChannelWebhookSecrets>();
        services.AddSingleton<IWebhookSecretSource>(sp => sp.GetRequiredService<ChannelWebhookSecrets>());
        services.AddSingleton<OwnChannels>();
        services.AddSingleton<InvitationBudget>();
        services.AddSingleton<Receiving>();
        services.AddSingleton<Invitations>();
        services.AddSingleton<RetentionQueue>();
        services.AddSingleton<Pruner>();
        services.AddSingleton<RetentionRounds>();
        AddStatusPages(services);
        return services;
    }

    /// <summary>Public status pages, their feeds and badges (they read uptime through IUptimeSource).</summary>
    private static void AddStatusPages(IServiceCollection services)
    {
        services.AddSingleton<StatusPageStore>();
        services.AddSingleton<StatusPageCache>();
        services.AddSingleton<StatusPageEditor>();
        services.AddSingleton<StatusPageReader>();
    }

    /// <summary>The transports of this runtime (DeliveryChannels).</summary>
    private static DeliveryChannels Channels(IServiceProvider services)
    {
        var config = services.GetRequiredService<MonitorConfig>();
        var time = services.GetRequiredService<TimeProvider>();
        var webhook = new WebhookChannel(config.AllowPrivateTargets, services.GetRequiredService<IWebhookSecretSource>(), time);
        return DeliveryChannels.FromConfig(config, time, webhook);
    }
}
