using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Functions.Channels;

/// <summary>A channel as the API shows it: never its signing secret, except once in the answer that created a webhook.</summary>
/// <param name="Status">Only verified channels get alerts.</param>
/// <param name="SigningSecret">A new webhook's signing secret, in the answer that created it only: deliveries are signed with it.</param>
public sealed record ChannelBody(string Id, ChannelKind Kind, string Address, ChannelStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? VerifiedAt, string? SigningSecret = null)
{
    public static ChannelBody From(Channel channel, string? signingSecret = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ChannelBody(channel.Id, channel.Kind, channel.Address, channel.Status, channel.CreatedAt, channel.VerifiedAt, signingSecret);
    }
}
