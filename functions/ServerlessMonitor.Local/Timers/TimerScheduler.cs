using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace ServerlessMonitor.Local.Timers;

/// <summary>
/// Fires timer functions on their NCRONTAB schedules (the host's own NCrontab library), once per
/// simulated region. Schedules are read on a scaled clock: with a 3-second scheduling minute,
/// "every minute" fires every 3 s and "second 30" 1.5 s into that minute; the minute indices match
/// the SchedulingClock's. As in Azure, a run never overlaps the previous run of the same timer in
/// the same region: a tick that finds it busy is skipped.
/// </summary>
public sealed class TimerScheduler(TimeSpan minuteLength, TimeProvider time)
{
    /// <summary>
    /// The Gregorian calendar repeats exactly (weekdays included) every 400 years: scaled time
    /// wraps on that cycle, so a 1-second minute (about 60 virtual years a real year) never leaves
    /// DateTime's range, while at scale 1 virtual time is real time.
    /// </summary>
    private static readonly long CycleMinutes = (long)(new DateTime(2370, 1, 1) - new DateTime(1970, 1, 1)).TotalMinutes;

    private readonly double scale = TimeSpan.FromMinutes(1) / minuteLength;

    /// <summary>Real time of the first tick of <paramref name="schedule"/> after real time <paramref name="after"/>.</summary>
    public DateTimeOffset NextTick(CrontabSchedule schedule, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var sinceEpoch = after - DateTimeOffset.UnixEpoch;
        var minute = (long)Math.Floor(sinceEpoch / minuteLength);
        var intoMinute = (sinceEpoch - (minuteLength * minute)) * scale;
        var virtualAfter = DateTime.UnixEpoch.AddMinutes(minute % CycleMinutes) + intoMinute;
        var virtualNext = schedule.GetNextOccurrence(virtualAfter);
        return after + ((virtualNext - virtualAfter) / scale);
    }

    public static CrontabSchedule Parse(string expression) =>
        CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 });

    /// <summary>Runs <paramref name="fire"/> at every tick until cancelled; returns when the last run has finished.</summary>
    public async Task RunAsync(string expression, Func<TimerInfo, CancellationToken, Task> fire, Action<string> skipped, CancellationToken cancellationToken)
    {
        var schedule = Parse(expression);
        var previous = time.GetUtcNow();
        Task running = Task.CompletedTask;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var due = NextTick(schedule, previous);
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }

                var next = NextTick(schedule, due);
                if (!running.IsCompleted)
                {
                    skipped("previous run still in progress");
                }
                else
                {
                    var info = new TimerInfo
                    {
                        ScheduleStatus = new ScheduleStatus { Last = previous.UtcDateTime, Next = next.UtcDateTime, LastUpdated = time.GetUtcNow().UtcDateTime },
                        IsPastDue = time.GetUtcNow() - due > minuteLength,
                    };
                    running = fire(info, cancellationToken);
                }

                previous = due;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
