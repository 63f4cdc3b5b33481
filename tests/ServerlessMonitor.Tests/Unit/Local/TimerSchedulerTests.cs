using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Local.Timers;

namespace ServerlessMonitor.Tests.Unit.Local;

public sealed class TimerSchedulerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 18, 0, 7, TimeSpan.Zero);

    [Fact]
    public void At_a_real_minute_the_schedule_is_read_on_the_real_clock()
    {
        var scheduler = new TimerScheduler(TimeSpan.FromMinutes(1), new FakeTimeProvider(Now));

        Assert.Equal(new DateTimeOffset(2026, 11, 29, 18, 1, 0, TimeSpan.Zero), scheduler.NextTick(TimerScheduler.Parse("0 * * * * *"), Now));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 18, 0, 50, TimeSpan.Zero), scheduler.NextTick(TimerScheduler.Parse("50 * * * * *"), Now));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero), scheduler.NextTick(TimerScheduler.Parse("0 0 3 * * *"), Now));
        // 2026-11-29 is a Sunday: the next Monday 09:00.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), scheduler.NextTick(TimerScheduler.Parse("0 0 9 * * 1"), Now));
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(0.2)]
    [InlineData(1.0)]
    public void A_scaled_minute_fires_every_minute_at_the_starts_of_the_scheduling_clocks_minutes(double minuteSeconds)
    {
        var length = TimeSpan.FromSeconds(minuteSeconds);
        var scheduler = new TimerScheduler(length, new FakeTimeProvider(Now));
        var schedule = TimerScheduler.Parse("0 * * * * *");

        var tick = scheduler.NextTick(schedule, Now);
        for (var i = 0; i < 5; i++)
        {
            var sinceEpoch = tick - DateTimeOffset.UnixEpoch;
            var minute = Math.Round(sinceEpoch / length);
            Assert.Equal(0, (sinceEpoch - (length * minute)).TotalMilliseconds, 3);
            var next = scheduler.NextTick(schedule, tick);
            Assert.Equal(length.TotalMilliseconds, (next - tick).TotalMilliseconds, 3);
            tick = next;
        }
    }

    [Fact]
    public void Second_fifty_of_a_three_second_minute_is_two_and_a_half_seconds_into_it()
    {
        var length = TimeSpan.FromSeconds(3);
        var scheduler = new TimerScheduler(length, new FakeTimeProvider(Now));
        var minuteStart = scheduler.NextTick(TimerScheduler.Parse("0 * * * * *"), Now);

        var tick = scheduler.NextTick(TimerScheduler.Parse("50 * * * * *"), minuteStart);

        Assert.Equal(2500, (tick - minuteStart).TotalMilliseconds, 3);
    }
}
