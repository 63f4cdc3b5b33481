using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// Suppressed time outside incidents (docs/UPTIME.md): a minute in which no verdict had evidence
/// (the cycle was suppressed because every region's own network was in doubt, or no trusted
/// region reported) is stored once for the whole deployment, not once per monitor, and counts
/// neither up nor down for every monitor. One small write per such minute, none otherwise.
/// </summary>
public sealed class SuppressedMinutes(UptimeStore store, SchedulingClock clock) : IVerdictHandoff
{
    public async Task HandOffAsync(IReadOnlyList<MonitorVerdict> verdicts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        if (verdicts.Count == 0 || verdicts.Any(v => v.Outcome is VerdictOutcome.Pass or VerdictOutcome.Fail))
        {
            return;
        }

        var minute = verdicts[0].Minute;
        var span = Span.Of(clock.StartOf(minute), clock.StartOf(minute + 1));
        await store.AddAsync(UptimeStore.Deployment, new Dictionary<UptimeKind, SpanSet> { [UptimeKind.Suppressed] = SpanSet.Of(span) }, cancellationToken).ConfigureAwait(false);
    }
}
