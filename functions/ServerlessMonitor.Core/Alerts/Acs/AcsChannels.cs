using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.Alerts.Acs;

/// <summary>
/// The ACS channels the settings allow: email needs ACS and SM_EMAIL_SENDER, SMS needs ACS and
/// SM_SMS_SENDER. A kind that is not configured is null, and what that means (an outbox locally,
/// an error in Azure) is the caller's decision.
/// </summary>
public sealed record AcsChannels(IMessageChannel? Email, IMessageChannel? Sms)
{
    public static AcsChannels FromConfig(MonitorConfig config, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Acs is null || (config.EmailSender is null && config.SmsSender is null))
        {
            return new AcsChannels(null, null);
        }

        var client = AcsClient.FromConfig(config.Acs, time);
        return new AcsChannels(
            config.EmailSender is { } sender ? new AcsEmailChannel(client, sender) : null,
            config.SmsSender is { } from ? new AcsSmsChannel(client, from) : null);
    }
}
