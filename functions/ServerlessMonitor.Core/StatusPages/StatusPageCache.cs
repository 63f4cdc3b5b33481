using System.Collections.Concurrent;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Core.StatusPages;

/// <summary>
/// Rendered public pages kept for one scheduling minute (60 s in Azure, matching their
/// Cache-Control; SM_MINUTE_SECONDS locally), so a burst of visitors costs one read of the
/// rollups per instance and minute. Correctness never depends on it: every instance keeps its
/// own, an entry is at most a minute old, and the owner's changes through this instance drop
/// theirs at once.
/// </summary>
public sealed class StatusPageCache(MonitorConfig config, TimeProvider time)
{
    private const int MaxEntries = 1000;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, object Value)> entries = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => config.MinuteLength;

    /// <summary>The cached value of <paramref name="key"/> (a page's slug and what was rendered of it), or a fresh one that is then kept.</summary>
    public async Task<T> GetOrAddAsync<T>(string slug, string kind, Func<Task<T>> make)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(make);
        var key = $"{slug}|{kind}";
        var now = time.GetUtcNow();
        if (entries.TryGetValue(key, out var entry) && entry.Until > now && entry.Value is T kept)
        {
            return kept;
        }

        var value = await make().ConfigureAwait(false);
        if (entries.Count >= MaxEntries)
        {
            foreach (var old in entries.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
            {
                entries.TryRemove(old, out _);
            }

            if (entries.Count >= MaxEntries)
            {
                entries.Clear();
            }
        }

        entries[key] = (now + Lifetime, value);
        return value;
    }

    /// <summary>Drops everything kept of a page (its owner changed or deleted it).</summary>
    public void Forget(string slug)
    {
        foreach (var key in entries.Keys.Where(k => k.StartsWith(slug + "|", StringComparison.Ordinal)).ToList())
        {
            entries.TryRemove(key, out _);
        }
    }
}
