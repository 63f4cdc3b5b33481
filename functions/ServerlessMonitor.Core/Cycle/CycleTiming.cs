using ServerlessMonitor.Core.Scheduling;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Where in its minute each step of a cycle happens (docs/RESULTS.md): probes from second 0 to
/// the deadline at second 45, the verdict at second 50. Fractions of the scheduling minute, so
/// the local runtime's short minutes keep the same shape.
/// </summary>
public sealed class CycleTiming(SchedulingClock clock)
{
    /// <summary>No probe runs past this share of its minute: what is not written by then is not in the verdict.</summary>
    public const double DeadlineFraction = 0.75;

    /// <summary>
    /// A timer may fire a hair before its tick (a delay can end a timer tick early): a run within
    /// this share before a minute's start belongs to that minute. A run this late in its minute
    /// is past the deadline anyway.
    /// </summary>
    private const double EarlyFraction = 0.05;

    public SchedulingClock Clock => clock;

    public DateTimeOffset DeadlineOf(long minute) => clock.StartOf(minute) + (clock.MinuteLength * DeadlineFraction);

    /// <summary>The minute a timer run that fires at a minute's start belongs to.</summary>
    public long MinuteOfTick(DateTimeOffset firedAt) => clock.MinuteOf(firedAt + (clock.MinuteLength * EarlyFraction));

    /// <summary>Whole scheduling minutes as time: seven days of results are seven scaled days locally.</summary>
    public TimeSpan Minutes(double minutes) => clock.MinuteLength * minutes;
}
