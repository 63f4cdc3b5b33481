using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// A fake clock that tells the test about every timer the code under test starts (a wait, a
/// deadline), so the test can let exactly that much fake time pass: no real waiting, no races.
/// </summary>
internal sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly Channel<TimeSpan> started = Channel.CreateUnbounded<TimeSpan>();

    public WatchedClock()
        : this(Noon)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        started.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer started (or already started and not yet seen).</summary>
    public Task<TimeSpan> NextTimerAsync(CancellationToken cancellationToken) => started.Reader.ReadAsync(cancellationToken).AsTask();
}
