namespace ServerlessMonitor.Core.Cycle;

/// <summary>How one region's own instance ran one cycle: written when it is done, read by the verdict step.</summary>
/// <param name="MinuteAt">Start of the scheduled minute.</param>
/// <param name="Lag">How late the cycle started after its minute began.</param>
/// <param name="Due">Monitors due in the region this minute.</param>
/// <param name="Probed">Of those, probed by this instance.</param>
/// <param name="Skipped">Not started before the deadline.</param>
/// <param name="Shards">Shards sent to the region's queue.</param>
public sealed record CycleHealth(
    string Region,
    long Minute,
    DateTimeOffset MinuteAt,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    TimeSpan Lag,
    int Due,
    int Probed,
    int Skipped,
    int Shards,
    IReadOnlyList<CanaryCheck> Canaries)
{
    public TimeSpan Duration => FinishedAt - StartedAt;
}
