namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// What the verdict step concluded from one cycle: each reporting region's standing and one
/// verdict per monitor that any region probed.
/// </summary>
/// <param name="SuppressionReason">Set when every reporting region's canaries failed; then every verdict is suppressed.</param>
public sealed record CycleDecision(
    long Minute,
    IReadOnlyList<RegionTrust> Regions,
    IReadOnlyList<MonitorVerdict> Verdicts,
    string? SuppressionReason)
{
    public bool Suppressed => SuppressionReason is not null;

    /// <summary>The monitors' states the verdicts changed, as the verdict step wrote them; empty from <see cref="VerdictRules"/>.</summary>
    public IReadOnlyList<StateChange> Changes { get; init; } = [];
}
