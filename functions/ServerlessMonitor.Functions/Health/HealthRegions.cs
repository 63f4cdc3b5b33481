using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Functions.Health;

/// <summary>Watching ourselves in one glance: regions that went silent or were not trusted, and whether verdicts are being decided.</summary>
/// <param name="Silent">Regions without a cycle timer run for three minutes.</param>
/// <param name="Untrusted">Regions the verdict step did not trust in their latest cycle, or that are silent.</param>
/// <param name="VerdictAt">When the primary's verdict step last ran; null before its first run.</param>
/// <param name="VerdictOverdue">The verdict step has not run for three minutes: no incident can open.</param>
public sealed record HealthRegions(
    int Total,
    IReadOnlyList<string> Silent,
    IReadOnlyList<string> Untrusted,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? VerdictAt,
    bool VerdictOverdue)
{
    public static HealthRegions From(IReadOnlyList<RegionStatus> regions, VerdictStatus verdict)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(verdict);
        return new HealthRegions(
            regions.Count,
            [.. regions.Where(r => r.Silent).Select(r => r.Name)],
            [.. regions.Where(r => !r.Trusted).Select(r => r.Name)],
            verdict.Mark?.At,
            verdict.Overdue);
    }
}
