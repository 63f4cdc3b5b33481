namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// Whether the channel a stored message is for still exists. Asked before a planned retry goes
/// out: a channel deleted (or a pending one expired) since the message was stored gets nothing more.
/// </summary>
public interface IChannelDirectory
{
    Task<bool> ExistsAsync(MessageDestination destination, CancellationToken cancellationToken);
}
