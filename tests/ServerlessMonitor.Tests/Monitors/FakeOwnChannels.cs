using System.Collections.Concurrent;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>
/// The channels seam until the channels store answers it: the test says which channel ids an
/// account owns.
/// </summary>
public sealed class FakeOwnChannels : IOwnChannels
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> owned = new();

    public void Grant(string accountId, params string[] channelIds)
    {
        foreach (var id in channelIds)
        {
            owned.GetOrAdd(accountId, _ => new())[id] = true;
        }
    }

    public Task<IReadOnlySet<string>> NotOwnedAsync(string accountId, IReadOnlyCollection<string> channelIds, CancellationToken cancellationToken)
    {
        var mine = owned.GetValueOrDefault(accountId);
        return Task.FromResult<IReadOnlySet<string>>(channelIds.Where(id => mine?.ContainsKey(id) != true).ToHashSet(StringComparer.Ordinal));
    }
}
