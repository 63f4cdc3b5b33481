using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Tests.Uptime;

/// <summary>Which part of an incident is downtime: from its first failing minute to the first pass after its last failure, less suppressed minutes.</summary>
public sealed class OutageStretchTests
{
    private const long M = 1_000;
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    private static DateTimeOffset StartOf(long minute) => Epoch.AddMinutes(minute);

    [Fact]
    public void A_recovered_outage_is_down_from_its_first_failure_to_its_first_pass_after_the_last_failure_less_its_suppressed_minutes()
    {
        TimelineEntry[] timeline =
        [
            new(0, TimelineKind.Opened, M),
            new(1, TimelineKind.Verdict, M, VerdictOutcome.Fail, Count: 3, LastMinute: M + 2),
            new(2, TimelineKind.Alerting),
            new(3, TimelineKind.Verdict, M + 3, VerdictOutcome.Suppressed, Count: 2, LastMinute: M + 4),
            new(4, TimelineKind.Verdict, M + 5, VerdictOutcome.Pass),
            new(5, TimelineKind.Verdict, M + 6, VerdictOutcome.Fail, Count: 4, LastMinute: M + 9),
            new(6, TimelineKind.Verdict, M + 10, VerdictOutcome.Pass, Count: 2, LastMinute: M + 11),
            new(7, TimelineKind.Recovered),
        ];

        var stretches = OutageStretch.Of(M, timeline, IncidentEnd.Recovered, StartOf(M + 12).AddSeconds(50), StartOf);

        Assert.Equal([Span.Of(StartOf(M), StartOf(M + 10))], stretches[UptimeKind.Down].Spans);
        Assert.Equal([Span.Of(StartOf(M + 3), StartOf(M + 5))], stretches[UptimeKind.Suppressed].Spans);
    }

    [Fact]
    public void A_cancelled_incident_never_alerted_and_is_no_downtime() =>
        Assert.Empty(OutageStretch.Of(M, [new(0, TimelineKind.Opened, M), new(1, TimelineKind.Verdict, M, VerdictOutcome.Fail), new(2, TimelineKind.Verdict, M + 1, VerdictOutcome.Pass), new(3, TimelineKind.Cancelled)], IncidentEnd.Cancelled, StartOf(M + 2), StartOf));

    [Fact]
    public void An_outage_ended_by_a_pause_is_down_until_it_ended()
    {
        var ended = StartOf(M + 7).AddSeconds(12);
        var stretches = OutageStretch.Of(M, [new(0, TimelineKind.Opened, M), new(1, TimelineKind.Verdict, M, VerdictOutcome.Fail, Count: 6, LastMinute: M + 5), new(2, TimelineKind.Alerting), new(3, TimelineKind.Paused)], IncidentEnd.Paused, ended, StartOf);

        Assert.Equal([Span.Of(StartOf(M), ended)], stretches[UptimeKind.Down].Spans);
        Assert.Equal(0, stretches[UptimeKind.Suppressed].Count);
    }
}
