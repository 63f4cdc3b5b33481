using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// How a <see cref="SelfSubject"/> stands in <paramref name="Minute"/>: fail, pass, or unknown
/// (nothing to say: a silent region's trust). Handed to the subject's incident as a verdict.
/// </summary>
public sealed record SelfVerdict(SelfSubject Subject, long Minute, VerdictOutcome Outcome)
{
    /// <summary>The region it is about, as an incident's verdict names regions.</summary>
    public IReadOnlyList<string> Regions => Subject.Region is { } region ? [region] : [];
}
