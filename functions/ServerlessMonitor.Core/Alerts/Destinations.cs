using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// Where a monitor's alerts go (DESIGN.md, data flow 5): the verified channels of its owner
/// along the owner's escalation, and of every receiver that accepted along the receiver's own.
/// Read when an alert falls due, so a channel deleted or a receiver gone a moment ago gets
/// nothing; a pending channel named in a path is skipped until it is verified.
/// </summary>
public sealed class Destinations(AccountStore accounts)
{
    /// <summary>Every destination, earliest first (then by key).</summary>
    public async Task<IReadOnlyList<Destination>> ForAsync(MonitorRecord monitor, IReadOnlyList<Receiver> receivers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(receivers);
        var paths = new List<(string AccountId, IReadOnlyList<EscalationStep>? Escalation, int RepeatMinutes)>
        {
            (monitor.OwnerId, monitor.Definition.Escalation, monitor.Definition.RepeatMinutes),
        };
        paths.AddRange(receivers
            .Where(r => r.Status == ReceiverStatus.Accepted && r.AccountId is not null && r.AccountId != monitor.OwnerId)
            .Select(r => (r.AccountId!, r.Escalation, r.RepeatMinutes ?? monitor.Definition.RepeatMinutes)));

        var destinations = new List<Destination>();
        foreach (var (accountId, escalation, repeatMinutes) in paths)
        {
            var verified = (await accounts.ListChannelsAsync(accountId, cancellationToken).ConfigureAwait(false))
                .Where(c => c.Status == ChannelStatus.Verified)
                .ToList();
            foreach (var (channel, after) in Schedule(verified, escalation))
            {
                destinations.Add(new Destination(Destination.KeyOf(accountId, channel.Id), accountId, channel, after, repeatMinutes));
            }
        }

        return [.. destinations.OrderBy(d => d.AfterMinutes).ThenBy(d => d.Key, StringComparer.Ordinal)];
    }

    /// <summary>Each verified channel a path reaches, at the earliest step naming it; no path: all at once.</summary>
    private static IEnumerable<(Channel Channel, int AfterMinutes)> Schedule(IReadOnlyList<Channel> verified, IReadOnlyList<EscalationStep>? escalation)
    {
        if (escalation is null)
        {
            return verified.Select(c => (c, 0));
        }

        var byId = verified.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var earliest = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in escalation)
        {
            foreach (var id in step.Channels.Where(byId.ContainsKey))
            {
                earliest[id] = Math.Min(earliest.GetValueOrDefault(id, int.MaxValue), step.AfterMinutes);
            }
        }

        return earliest.Select(e => (byId[e.Key], e.Value));
    }
}
