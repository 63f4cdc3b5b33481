using ServerlessMonitor.Core.Alerts.Acs;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// Which transport carries each kind of message here. In Azure, email and SMS go through ACS
/// when it and the kind's sender are configured, and otherwise cannot be sent (never to a file:
/// health reports it). The local runtime uses ACS for a kind only when configured for it
/// (SM_ACS_CONNECTION_STRING) and its outbox otherwise. Webhooks are POSTed to their receivers
/// in both; the local runtime lists them in its outbox as well.
/// </summary>
public sealed class DeliveryChannels(IMessageChannel? email, IMessageChannel? sms, IMessageChannel? webhook)
{
    public static DeliveryChannels FromConfig(MonitorConfig config, TimeProvider time, WebhookChannel webhook)
    {
        ArgumentNullException.ThrowIfNull(config);
        var acs = AcsChannels.FromConfig(config, time);
        if (config.Mode == RuntimeMode.Azure)
        {
            return new DeliveryChannels(acs.Email, acs.Sms, webhook);
        }

        var outbox = new Outbox(Path.Combine(config.DataDir, "outbox.jsonl"), time);
        var local = new OutboxChannel(outbox);
        return new DeliveryChannels(acs.Email ?? local, acs.Sms ?? local, new RecordedChannel(webhook, outbox));
    }

    /// <summary>The channel for this kind; null when nothing here can carry it.</summary>
    public IMessageChannel? For(ChannelKind kind) => kind switch
    {
        ChannelKind.Email => email,
        ChannelKind.Sms => sms,
        ChannelKind.Webhook => webhook,
        _ => null,
    };
}
