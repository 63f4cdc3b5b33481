using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// Something about the deployment itself that can go wrong, watched as a monitor is: its
/// verdicts open an incident through the same pipeline and <see cref="IncidentPolicy"/>, with
/// <see cref="Id"/> where a monitor id would be (orchestration <c>incident-self-…</c>) and the
/// operator's address (SM_OPERATOR_EMAIL) as its one destination.
/// </summary>
/// <param name="Region">The region it is about; null for the verdict step.</param>
public sealed partial record SelfSubject(SelfSubjectKind Kind, string? Region)
{
    /// <summary>What every self-subject id starts with; no monitor id does (they start with <c>m</c>).</summary>
    public const string IdPrefix = "self-";

    /// <summary>
    /// Alerts about the deployment repeat every quarter of an hour, the monitors' default
    /// repeat: often enough that a missed mail is noticed, capped at four like every incident.
    /// </summary>
    public const int RepeatMinutes = 15;

    /// <summary>
    /// A region is untrusted in a cycle when its own network is in doubt; one such cycle is
    /// common (a canary's hiccup), five in a row is a region that cannot be believed.
    /// </summary>
    public const int UntrustedCycles = 5;

    /// <summary>The operator's one destination key in the incident's policy state.</summary>
    public const string OperatorDestination = "operator:email";

    public static SelfSubject Silent(string region) => new(SelfSubjectKind.RegionSilent, region);

    public static SelfSubject Untrusted(string region) => new(SelfSubjectKind.RegionUntrusted, region);

    public static SelfSubject VerdictStep { get; } = new(SelfSubjectKind.VerdictStepStopped, null);

    /// <summary><c>self-region-&lt;region&gt;-silent</c>, <c>self-region-&lt;region&gt;-untrusted</c> or <c>self-verdict-step</c>.</summary>
    public string Id => Kind switch
    {
        SelfSubjectKind.RegionSilent => $"{IdPrefix}region-{Region}-silent",
        SelfSubjectKind.RegionUntrusted => $"{IdPrefix}region-{Region}-untrusted",
        _ => $"{IdPrefix}verdict-step",
    };

    /// <summary>What a person reads in a subject line.</summary>
    public string Name => Kind switch
    {
        SelfSubjectKind.RegionSilent => $"region {Region} silent",
        SelfSubjectKind.RegionUntrusted => $"region {Region} untrusted",
        _ => "verdict step not running",
    };

    /// <summary>
    /// Silent and overdue are judged over three minutes already (<see cref="Cycle.RegionOverview.SilentAfterMinutes"/>):
    /// the alert goes at once. Untrusted waits for <see cref="UntrustedCycles"/> failing cycles in a row.
    /// </summary>
    public int AlertDelayMinutes => Kind == SelfSubjectKind.RegionUntrusted ? UntrustedCycles : 0;

    /// <summary>One good minute recovers it: a region that beats again, a trusted cycle, a verdict step that ran.</summary>
    public const int RecoveryPasses = 1;

    /// <summary>The subject an id names; false for a monitor id or anything else.</summary>
    public static bool TryParse(string? id, out SelfSubject subject)
    {
        subject = VerdictStep;
        if (id == VerdictStep.Id)
        {
            return true;
        }

        var m = RegionPattern().Match(id ?? string.Empty);
        if (!m.Success)
        {
            return false;
        }

        subject = new(m.Groups[2].Value == "silent" ? SelfSubjectKind.RegionSilent : SelfSubjectKind.RegionUntrusted, m.Groups[1].Value);
        return true;
    }

    // Region names are lower-case letters, digits and dashes (MonitorConfig.ParseRegionList).
    [GeneratedRegex("^self-region-([a-z0-9-]+)-(silent|untrusted)$")]
    private static partial Regex RegionPattern();
}
