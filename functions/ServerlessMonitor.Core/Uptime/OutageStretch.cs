using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;

namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// The downtime one closed incident stands for (docs/UPTIME.md). Only an incident that alerted
/// (its alert delay ran out with the target still failing: a confirmed outage) counts. It is down
/// from the start of its first failing verdict's minute until the start of the minute of the
/// first passing verdict after its last failing one (the recovery), or until it was ended by a
/// pause or delete. Inside that, minutes whose verdict was suppressed or unknown are suppressed
/// time instead.
/// </summary>
public static class OutageStretch
{
    /// <summary>The stretches of a closed incident: down and suppressed; none when it never alerted.</summary>
    /// <param name="startOf">The start of a scheduling minute.</param>
    public static IReadOnlyDictionary<UptimeKind, SpanSet> Of(
        long openedMinute,
        IEnumerable<TimelineEntry> timeline,
        IncidentEnd? end,
        DateTimeOffset closedAt,
        Func<long, DateTimeOffset> startOf)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(startOf);
        var entries = timeline.ToList();
        if (!entries.Any(e => e.Kind == TimelineKind.Alerting))
        {
            return new Dictionary<UptimeKind, SpanSet>();
        }

        var runs = entries
            .Where(e => e.Kind == TimelineKind.Verdict && e.Minute is not null && e.Outcome is not null)
            .Select(e => (First: e.Minute!.Value, Last: e.LastMinute ?? e.Minute!.Value, Outcome: e.Outcome!.Value))
            .OrderBy(r => r.First)
            .ToList();
        var start = Span.Seconds(startOf(openedMinute));
        var stop = Span.Seconds(closedAt);
        if (end == IncidentEnd.Recovered)
        {
            var lastFail = runs.Where(r => r.Outcome == VerdictOutcome.Fail).Select(r => r.Last).DefaultIfEmpty(openedMinute).Max();
            var recovery = runs.FindIndex(r => r.Outcome == VerdictOutcome.Pass && r.First > lastFail);
            if (recovery >= 0)
            {
                stop = Span.Seconds(startOf(runs[recovery].First));
            }
        }

        var down = new Span(start, Math.Max(start, stop));
        var suppressed = SpanSet.Of(runs
            .Where(r => r.Outcome is VerdictOutcome.Suppressed or VerdictOutcome.Unknown)
            .Select(r => Span.Of(startOf(r.First), startOf(r.Last + 1))))
            .Within(down);
        return new Dictionary<UptimeKind, SpanSet>
        {
            [UptimeKind.Down] = SpanSet.Of(down),
            [UptimeKind.Suppressed] = suppressed,
        };
    }
}
