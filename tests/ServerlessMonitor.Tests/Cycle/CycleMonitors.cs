using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>Monitors stored straight through the store, as the monitor routes would store them.</summary>
internal static class CycleMonitors
{
    public static async Task<string> AddAsync(MonitorStore store, ProbeType type, string target, int intervalMinutes = 1, IReadOnlyList<string>? regions = null, bool paused = false, int timeoutSeconds = 2)
    {
        var now = DateTimeOffset.UtcNow;
        var id = Ids.New(Ids.Monitor);
        var definition = new MonitorDefinition($"{type.Name()} {target}", type, target, intervalMinutes, timeoutSeconds, ProbeExpect.None, 2, null, 15, 1, false, regions, paused);
        Assert.True(await store.CreateAsync(new MonitorRecord(id, Ids.New(Ids.Account), definition, MonitorState.Unknown, null, now, now), default));
        return id;
    }
}
