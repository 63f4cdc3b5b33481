using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Records each verdict as the monitor's state, written only where it changes, with work that
/// grows with the changes, not with the monitors. Each outcome carries the monitor row as the
/// probing region's scan found it (<see cref="ProbeOutcome.Scanned"/>); a verdict that agrees
/// with it costs nothing. Only the others are read, and written where the row, as it is now,
/// still differs: each write is conditional on the row's ETag, and a row changed meanwhile (an
/// edit, a racing verdict run) is read and judged again. Never a memory of this process: another
/// instance may have written since, or this one may be new.
/// <para>
/// A scan can be older than a state write: the verdict of the minute before may have been
/// written after this cycle's scan (a late or repeated verdict run). So the changes the last
/// <see cref="RecentMinutes"/> minutes recorded (<see cref="CycleStore.WriteChangesAsync"/>,
/// written before the rows they describe) are read too, one query, and a monitor whose scan
/// shows another state than its latest recorded change wrote is read as well.
/// </para>
/// </summary>
public sealed class MonitorStates(MonitorStore monitors, CycleStore cycles, ILogger<MonitorStates> logger)
{
    /// <summary>
    /// How far back a state write may still be unseen by a cycle's scan: a verdict run decides its
    /// minute and the one before, and may end a few minutes after it began.
    /// </summary>
    public const int RecentMinutes = 5;

    /// <summary>Reads and writes in flight at once: enough for a provider outage's thousands of changes, few enough for one instance.</summary>
    private const int Concurrency = 32;

    public static MonitorState StateOf(VerdictOutcome outcome) => outcome switch
    {
        VerdictOutcome.Pass => MonitorState.Up,
        VerdictOutcome.Fail => MonitorState.Down,

        // No evidence either way, like a suppressed cycle: the trouble is ours.
        VerdictOutcome.Suppressed or VerdictOutcome.Unknown => MonitorState.Suppressed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>
    /// Writes the states the verdicts of <paramref name="minute"/> change, judged against
    /// <paramref name="scanned"/> (<see cref="CycleRecord.Scanned"/>), and returns the changes,
    /// which are recorded with the cycle first.
    /// </summary>
    public async Task<IReadOnlyList<StateChange>> RecordAsync(long minute, IReadOnlyList<MonitorVerdict> verdicts, IReadOnlyDictionary<string, ScannedState?> scanned, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(scanned);
        var recent = new Dictionary<string, StateChange>(StringComparer.Ordinal);
        foreach (var change in await cycles.ChangesAsync(minute - RecentMinutes, minute - 1, cancellationToken).ConfigureAwait(false))
        {
            if (!recent.TryGetValue(change.MonitorId, out var seen) || seen.Minute < change.Minute)
            {
                recent[change.MonitorId] = change;
            }
        }

        var doubtful = verdicts.Where(v => Doubtful(v, scanned.GetValueOrDefault(v.MonitorId), recent.GetValueOrDefault(v.MonitorId))).ToList();

        var found = new List<(StateChange Change, Azure.ETag ETag)>();
        await Parallel.ForEachAsync(doubtful, Options(cancellationToken), async (verdict, ct) =>
        {
            var state = StateOf(verdict.Outcome);
            if (await ReadAsync(verdict.MonitorId, ct).ConfigureAwait(false) is { } row && row.State != state)
            {
                lock (found)
                {
                    found.Add((new StateChange(verdict.MonitorId, row.State, state, minute, at), row.ETag));
                }
            }
        }).ConfigureAwait(false);

        var changes = found.OrderBy(f => f.Change.MonitorId, StringComparer.Ordinal).ToList();
        if (changes.Count == 0)
        {
            return [];
        }

        await cycles.WriteChangesAsync(minute, at, [.. changes.Select(c => c.Change)], cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(changes, Options(cancellationToken), (change, ct) => new ValueTask(WriteAsync(change.Change, change.ETag, ct))).ConfigureAwait(false);
        return [.. changes.Select(c => c.Change)];
    }

    /// <summary>
    /// Whether only the row can tell if the verdict changes the monitor's state: no scan, a scan
    /// that differs from the verdict, or a scan older than the latest state change recorded for
    /// the monitor (it shows another state than that change wrote).
    /// </summary>
    private static bool Doubtful(MonitorVerdict verdict, ScannedState? scanned, StateChange? latest) =>
        scanned is null || scanned.State != StateOf(verdict.Outcome) || (latest is not null && latest.To != scanned.State);

    private static ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };

    private async Task<MonitorRecord?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await monitors.GetAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException e)
        {
            // The next cycle's verdict tries again; one read must not hold up the others or the hand-off.
            logger.LogWarning("state of monitor {MonitorId} not read: {Error}", id, e.Message);
            return null;
        }
    }

    private async Task WriteAsync(StateChange change, Azure.ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            if (await monitors.SetStateAsync(change.MonitorId, change.To, change.At, etag, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            // Changed since read: the row as it is now decides.
            if (await monitors.GetAsync(change.MonitorId, cancellationToken).ConfigureAwait(false) is { } current && current.State != change.To)
            {
                await monitors.SetStateAsync(change.MonitorId, change.To, change.At, current.ETag, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Azure.RequestFailedException e)
        {
            // The next cycle's verdict tries again (its scan, or the changes recorded, shows the row unchanged).
            logger.LogWarning("state of monitor {MonitorId} not written: {Error}", change.MonitorId, e.Message);
        }
    }
}
