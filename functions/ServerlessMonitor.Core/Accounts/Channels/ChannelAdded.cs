namespace ServerlessMonitor.Core.Accounts.Channels;

/// <param name="Created">False when the account had the channel already (a pending one got its confirmation again).</param>
/// <param name="SigningSecret">A new webhook's signing secret: in this answer only, never again.</param>
public sealed record ChannelAdded(Channel Channel, bool Created, string? SigningSecret);
