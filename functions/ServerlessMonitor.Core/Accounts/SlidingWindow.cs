namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// A sliding-window limit over the times of recent requests, kept in the row of the thing
/// limited (an address, a client network, the deployment). Pure, so it is tested alone.
/// </summary>
public sealed record SlidingWindow(int Max, TimeSpan Window)
{
    /// <summary>The times to store back with this request included, or how long to wait when it is over the limit.</summary>
    public (IReadOnlyList<DateTimeOffset>? Times, TimeSpan RetryAfter) Admit(IEnumerable<DateTimeOffset> times, DateTimeOffset now)
    {
        var recent = times.Where(t => t > now - Window && t <= now).Order().ToList();
        if (recent.Count >= Max)
        {
            var oldest = recent[^Max];
            var wait = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((oldest + Window - now).TotalSeconds)));
            return (null, wait);
        }

        recent.Add(now);
        return (recent, TimeSpan.Zero);
    }
}
