using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// The rules that turn what the deployment knows about itself into verdicts for its
/// <see cref="SelfSubject"/>s, one minute at a time; <see cref="IncidentPolicy"/> does the rest
/// (alert delay, cap, repeats, recovery), exactly as for a monitor.
/// </summary>
public static class SelfSubjects
{
    /// <summary>
    /// The verdict step's view after deciding <paramref name="decidedMinute"/>: per region, whether
    /// it is silent, and whether its cycle of that minute was trusted. A region that did not report
    /// that cycle, or went silent, says nothing about its trust (unknown: an open incident waits,
    /// and the silent subject speaks for it). Trust is judged on the cycle's own minute, so one
    /// cycle is counted once however often it is read. A region that never beat at all is shown
    /// silent by the API, but is unknown here: a deployment still starting its regions is not an
    /// incident (docs/INCIDENTS.md, Watching ourselves).
    /// </summary>
    public static IReadOnlyList<SelfVerdict> OfRegions(IReadOnlyList<RegionStatus> regions, long decidedMinute)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var verdicts = new List<SelfVerdict>(regions.Count * 2);
        foreach (var region in regions)
        {
            var silent = region switch
            {
                { LastHeartbeatAt: null } => VerdictOutcome.Unknown,
                { Silent: true } => VerdictOutcome.Fail,
                _ => VerdictOutcome.Pass,
            };
            verdicts.Add(new SelfVerdict(SelfSubject.Silent(region.Name), decidedMinute, silent));
            verdicts.Add(region switch
            {
                { Silent: false, Latest: { } latest } when latest.Minute == decidedMinute =>
                    new SelfVerdict(SelfSubject.Untrusted(region.Name), decidedMinute, latest.Trusted ? VerdictOutcome.Pass : VerdictOutcome.Fail),
                _ => new SelfVerdict(SelfSubject.Untrusted(region.Name), decidedMinute, VerdictOutcome.Unknown),
            });
        }

        return verdicts;
    }

    /// <summary>
    /// What another region's verdict watch says in <paramref name="minute"/>: the verdict step is
    /// overdue, or it runs; unknown before its first run (a deployment still starting).
    /// </summary>
    public static SelfVerdict OfVerdictStep(VerdictStatus status, long minute)
    {
        ArgumentNullException.ThrowIfNull(status);
        var outcome = status switch
        {
            { Mark: null } => VerdictOutcome.Unknown,
            { Overdue: true } => VerdictOutcome.Fail,
            _ => VerdictOutcome.Pass,
        };
        return new SelfVerdict(SelfSubject.VerdictStep, minute, outcome);
    }

    /// <summary>
    /// The subject's "monitor" as an incident reads it: active with the operator as its one
    /// destination (no channel to verify: the address is the deployment's own setting), or,
    /// without SM_OPERATOR_EMAIL, gone, which ends any incident of it quietly.
    /// </summary>
    public static MonitorNow Facts(SelfSubject subject, string? operatorEmail)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return operatorEmail is null
            ? MonitorNow.Deleted
            : new MonitorNow(
                MonitorNowStatus.Active,
                subject.AlertDelayMinutes,
                SelfSubject.RecoveryPasses,
                [new DestinationPlan(SelfSubject.OperatorDestination, AfterMinutes: 0, SelfSubject.RepeatMinutes)]);
    }
}
