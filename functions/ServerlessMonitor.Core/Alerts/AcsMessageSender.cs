using System.Security.Cryptography;
using System.Text;
using ServerlessMonitor.Core.Alerts.Acs;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// Azure's way out: one try through the ACS channel of the message's kind. A kind without its
/// ACS configuration cannot send, and says so; nothing goes to a file. The attempt's request id
/// is derived from the idempotency key, so ACS drops a repeat of a send it already took.
/// Retries with back-off belong to the delivery store this will grow into.
/// </summary>
public sealed class AcsMessageSender(AcsChannels channels, TimeProvider time) : IMessageSender
{
    public bool CanSend(ChannelKind channel) => ChannelFor(channel) is not null;

    public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ChannelFor(message.Channel) is not { } channel)
        {
            return new DeliveryOutcome.Failed(RetryKind.Never, $"{message.Channel} is not configured: set SM_ACS_ENDPOINT (or SM_ACS_CONNECTION_STRING) and the sender setting");
        }

        var requestId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)).AsSpan(0, 16));
        return await channel.DeliverAsync(message, new DeliveryAttempt(requestId, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    private IMessageChannel? ChannelFor(ChannelKind kind) => kind switch
    {
        ChannelKind.Email => channels.Email,
        ChannelKind.Sms => channels.Sms,
        _ => null,
    };
}
