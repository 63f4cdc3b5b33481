namespace ServerlessMonitor.Core.Uptime;

/// <summary>A half-open stretch of time [Start, End) in whole Unix seconds.</summary>
public readonly record struct Span(long Start, long End)
{
    public long Length => Math.Max(0, End - Start);

    public bool IsEmpty => End <= Start;

    public static Span Of(DateTimeOffset from, DateTimeOffset to) => new(Seconds(from), Seconds(to));

    /// <summary>Whole seconds since the epoch, rounded down: every edge of every span is cut the same way, so sums add up exactly.</summary>
    public static long Seconds(DateTimeOffset at) => (long)Math.Floor((at - DateTimeOffset.UnixEpoch).TotalSeconds);

    public static DateTimeOffset At(long seconds) => DateTimeOffset.UnixEpoch.AddSeconds(seconds);
}
