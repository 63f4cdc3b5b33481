namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// Whether channel ids are an account's own: an alert path may name only channels of the account
/// it belongs to (pending ones included: they get alerts once verified). The channels store
/// answers it; monitors only ask.
/// </summary>
public interface IOwnChannels
{
    /// <summary>The ids among <paramref name="channelIds"/> that are not channels of the account; empty when all are.</summary>
    Task<IReadOnlySet<string>> NotOwnedAsync(string accountId, IReadOnlyCollection<string> channelIds, CancellationToken cancellationToken);
}
