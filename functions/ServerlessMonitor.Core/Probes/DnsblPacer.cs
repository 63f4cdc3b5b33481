using System.Collections.Concurrent;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// Spaces this process's queries to each list: at most <see cref="PerSecond"/> a second per list,
/// whatever number of probes run at once, so a block's 256 addresses reach a list as a steady
/// trickle rather than a burst (docs/PROBES.md, dnsbl). One instance per process.
/// </summary>
public sealed class DnsblPacer(int perSecond, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, NextSlot> _lists = new(StringComparer.Ordinal);

    public int PerSecond { get; } = perSecond > 0 ? perSecond : throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "at least one query a second");

    /// <summary>Waits for the list's next free slot (slots are handed out in order of asking).</summary>
    public Task WaitAsync(string list, CancellationToken cancellationToken)
    {
        // A check past its deadline must not reserve slots it will never use: they would delay the next check.
        cancellationToken.ThrowIfCancellationRequested();
        var spacing = TimeSpan.FromSeconds(1.0 / PerSecond);
        var slot = _lists.GetOrAdd(list, _ => new NextSlot());
        var now = time.GetUtcNow();
        DateTimeOffset at;
        lock (slot)
        {
            at = slot.At > now ? slot.At : now;
            slot.At = at + spacing;
        }

        return at <= now ? Task.CompletedTask : Task.Delay(at - now, time, cancellationToken);
    }

    private sealed class NextSlot
    {
        public DateTimeOffset At { get; set; }
    }
}
