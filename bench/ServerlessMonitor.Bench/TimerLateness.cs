namespace ServerlessMonitor.Bench;

/// <summary>
/// A 1 ms periodic timer on the thread pool, measuring how late each tick is (the interval past
/// 1 ms) and the thread pool's queue at each tick: what the probes cost everything else that
/// shares the process, the .NET counterpart of Node's event-loop delay. .NET's timer queue
/// keeps time with Environment.TickCount64 (CLOCK_MONOTONIC_COARSE on Linux, often 4 ms), so
/// even idle the ticks come late by up to that resolution: the report prints the idle floor.
/// </summary>
internal sealed class TimerLateness : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(1);
    private readonly PeriodicTimer _timer = new(Period);
    private readonly List<double> _lateness = [];
    private readonly List<int> _queue = [];
    private readonly Task _ticking;

    public TimerLateness()
    {
        _ticking = Task.Run(TickAsync);
    }

    public IReadOnlyList<double> Lateness => _lateness;

    public IReadOnlyList<int> Queue => _queue;

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _ticking;
    }

    private async Task TickAsync()
    {
        var previous = System.Diagnostics.Stopwatch.GetTimestamp();
        while (await _timer.WaitForNextTickAsync())
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            _lateness.Add(Math.Max(0, System.Diagnostics.Stopwatch.GetElapsedTime(previous, now).TotalMilliseconds - Period.TotalMilliseconds));
            _queue.Add((int)ThreadPool.PendingWorkItemCount);
            previous = now;
        }
    }
}
