using System.Collections.Concurrent;

namespace ServerlessMonitor.Local.Dev;

public enum RegionState
{
    Up,

    /// <summary>The region runs no timers: as if its app were gone.</summary>
    Down,

    /// <summary>Its timers run, but its network is cut: every probe fails to connect.</summary>
    Isolated,
}

/// <summary>Faults injected into simulated regions through POST /api/dev/regions/&lt;name&gt;/&lt;state&gt;.</summary>
public sealed class RegionFaults(IEnumerable<string> regions)
{
    private readonly ConcurrentDictionary<string, RegionState> states = new(regions.Select(r => KeyValuePair.Create(r, RegionState.Up)));

    public bool Knows(string region) => states.ContainsKey(region);

    public RegionState this[string region] => states.TryGetValue(region, out var s) ? s : RegionState.Up;

    public void Set(string region, RegionState state)
    {
        if (!states.ContainsKey(region))
        {
            throw new ArgumentException($"unknown region {region}", nameof(region));
        }

        states[region] = state;
    }
}
