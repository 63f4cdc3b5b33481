namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// When the sender tries again (the TypeScript sender's DEFAULT_RETRY_POLICY). A failed try that
/// may be repeated gets a few quick tries within the same call, since most failures are blips;
/// after that each retry waits on the delivery-retries queue, longer each time, so an outage of
/// the provider neither loses the message nor hammers the provider (ACS counts every request
/// against its limits, throttled ones included).
/// </summary>
public sealed record DeliveryPolicy
{
    /// <summary>Waits between the tries made at once, within one call.</summary>
    public IReadOnlyList<TimeSpan> QuickDelays { get; init; } = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)];

    /// <summary>A Retry-After longer than this is not waited for within the call: the retry is queued instead.</summary>
    public TimeSpan MaxQuickWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Waits before the later, queued rounds. The first two (30 s, 2 min) keep an uncertain ACS
    /// retry inside its 5-minute repeatability window; the rest only serve retries that are safe
    /// (throttling, refused connections) or receivers that dedupe (webhooks).
    /// </summary>
    public IReadOnlyList<TimeSpan> LaterDelays { get; init; } =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)];

    /// <summary>Tries in all, quick and later: about two hours of an unreachable provider.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>
    /// How long one caller owns a sending row before another may take it over (its process may have
    /// died): longer than a round of quick tries can take (3 × <see cref="AttemptTimeout"/> + waits).
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The time budget of one try, ACS email's status polling included.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The part of a repeatability window left unused: clocks of instances and provider differ,
    /// and a request takes time to arrive.
    /// </summary>
    public TimeSpan WindowMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The waits between the tries a call makes at once: none when it may make only one.</summary>
    public IReadOnlyList<TimeSpan> QuickDelaysFor(TryNow tryNow) => tryNow == TryNow.Once ? [] : QuickDelays;

    /// <summary>The later wait after a round that ended with this many tries in all.</summary>
    public TimeSpan LaterDelay(int attempts)
    {
        // Quick tries of a round do not count as rounds: attempts 3 (one round of 1 + 2 quick) → first later wait.
        var round = Math.Max(0, (int)Math.Ceiling(attempts / (double)(QuickDelays.Count + 1)) - 1);
        return LaterDelays[Math.Min(round, LaterDelays.Count - 1)];
    }
}
