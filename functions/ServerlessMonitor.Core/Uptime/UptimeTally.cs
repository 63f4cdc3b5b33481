namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// One monitor's time, sorted into what it was (docs/UPTIME.md). Every second after the monitor
/// was created and before now is exactly one of: maintenance (paused), suppressed (in an outage
/// while our own network was in doubt), down (in a confirmed outage) or up, in that order of
/// precedence, so overlapping records never count a second twice.
/// </summary>
public sealed class UptimeTally
{
    private readonly Span watched;
    private readonly SpanSet maintenance;
    private readonly SpanSet suppressed;
    private readonly SpanSet down;

    /// <param name="createdAt">Observation starts here (seconds).</param>
    /// <param name="now">Nothing is known past now (seconds).</param>
    public UptimeTally(long createdAt, long now, SpanSet down, SpanSet suppressed, SpanSet maintenance)
    {
        ArgumentNullException.ThrowIfNull(down);
        ArgumentNullException.ThrowIfNull(suppressed);
        ArgumentNullException.ThrowIfNull(maintenance);
        watched = new Span(createdAt, now);
        this.maintenance = maintenance.Within(watched);
        this.suppressed = suppressed.Within(watched).Except(this.maintenance);
        this.down = down.Within(watched).Except(this.maintenance).Except(this.suppressed);
    }

    public SpanSet Down => down;

    /// <summary>How <paramref name="window"/> went.</summary>
    public UptimeCount Count(Span window)
    {
        var seen = new Span(Math.Max(window.Start, watched.Start), Math.Min(window.End, watched.End));
        if (seen.IsEmpty)
        {
            return UptimeCount.None;
        }

        var m = maintenance.LengthWithin(seen);
        var s = suppressed.LengthWithin(seen);
        var d = down.LengthWithin(seen);
        return new UptimeCount(seen.Length - m - s, d, s, m);
    }
}

/// <summary>
/// Seconds of one window. <see cref="Observed"/> is what availability is measured over: time
/// watched, less maintenance and suppressed time (those count neither up nor down).
/// </summary>
public readonly record struct UptimeCount(long Observed, long Down, long Suppressed, long Maintenance)
{
    public static readonly UptimeCount None = new(0, 0, 0, 0);

    /// <summary>A fraction in [0, 1]; null when nothing was observed.</summary>
    public double? Availability => Observed > 0 ? (double)(Observed - Down) / Observed : null;

    public static UptimeCount operator +(UptimeCount a, UptimeCount b) =>
        new(a.Observed + b.Observed, a.Down + b.Down, a.Suppressed + b.Suppressed, a.Maintenance + b.Maintenance);

    /// <summary>
    /// The downtime <paramref name="targetPercent"/> allows over the observed time, rounded down
    /// to whole seconds, and what is left of it (negative: the budget is overspent by that much).
    /// </summary>
    public (long Budget, long Left) Budget(double targetPercent)
    {
        var budget = (long)Math.Floor((100 - targetPercent) / 100 * Observed + 1e-6);
        return (budget, budget - Down);
    }
}
