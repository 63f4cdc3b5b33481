using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Records each verdict as the monitor's state, written only where it changes. Whether it changes
/// is judged against the monitor rows as they are now (the verdict step's one scan of them), never
/// against a memory of this process: another instance may have written since, or this one may be new. Each write is
/// conditional on the row's ETag; when the row changed meanwhile (an edit, a racing verdict run)
/// it is read again and written again only if its state still differs.
/// </summary>
public sealed class MonitorStates(MonitorStore monitors, ILogger<MonitorStates> logger)
{
    /// <summary>State writes in flight at once: enough for a provider outage's thousands of changes, few enough for one instance.</summary>
    private const int Writes = 32;

    public static MonitorState StateOf(VerdictOutcome outcome) => outcome switch
    {
        VerdictOutcome.Pass => MonitorState.Up,
        VerdictOutcome.Fail => MonitorState.Down,

        // No evidence either way, like a suppressed cycle: the trouble is ours.
        VerdictOutcome.Suppressed or VerdictOutcome.Unknown => MonitorState.Suppressed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>
    /// Writes the states that changed, judged against <paramref name="scanned"/> (the monitor rows
    /// as just read, <see cref="MonitorStore.ListScheduledAsync"/>); returns how many were written.
    /// </summary>
    public async Task<int> RecordAsync(IReadOnlyList<MonitorVerdict> verdicts, IEnumerable<ScheduledMonitor> scanned, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(scanned);
        var decided = verdicts.ToDictionary(v => v.MonitorId, v => StateOf(v.Outcome), StringComparer.Ordinal);
        var changed = new List<(string Id, MonitorState State, Azure.ETag ETag)>();
        foreach (var monitor in scanned)
        {
            if (decided.TryGetValue(monitor.Id, out var state) && state != monitor.State)
            {
                changed.Add((monitor.Id, state, monitor.ETag));
            }
        }

        var written = 0;
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = Writes, CancellationToken = cancellationToken }, async (change, ct) =>
        {
            if (await WriteAsync(change.Id, change.State, change.ETag, at, ct).ConfigureAwait(false))
            {
                Interlocked.Increment(ref written);
            }
        }).ConfigureAwait(false);
        return written;
    }

    private async Task<bool> WriteAsync(string id, MonitorState state, Azure.ETag etag, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            if (await monitors.SetStateAsync(id, state, at, etag, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            // Changed since the scan: the row as it is now decides.
            var current = await monitors.GetAsync(id, cancellationToken).ConfigureAwait(false);
            return current is not null && current.State != state && await monitors.SetStateAsync(id, state, at, current.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException e)
        {
            // The next cycle's verdict tries again; a state write must not hold up the others or the hand-off.
            logger.LogWarning("state of monitor {MonitorId} not written: {Error}", id, e.Message);
            return false;
        }
    }
}
