using System.Globalization;
using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// What the operator reads about the deployment itself: plainly what is wrong, what it means for
/// the monitors, and where to look. Plain-text email; <paramref name="Deployment"/> is the public
/// base URL, so an operator of several deployments knows which one.
/// </summary>
public sealed record SelfMessages(string Deployment, string PrimaryRegion)
{
    public OutgoingMessage For(SelfSubject subject, AlertKind kind, int? sequence, DateTimeOffset openedAt, DateTimeOffset at, string to)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return new OutgoingMessage(ChannelKind.Email, to, Text(subject, kind, sequence, openedAt, at))
        {
            Subject = Subject(subject, kind),
            Priority = MessagePriority.Alert,
        };
    }

    public static string Subject(SelfSubject subject, AlertKind kind)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return kind == AlertKind.Failure ? $"DEPLOYMENT: {subject.Name}" : $"DEPLOYMENT RECOVERED: {subject.Name}";
    }

    public string Text(SelfSubject subject, AlertKind kind, int? sequence, DateTimeOffset openedAt, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var lines = new List<string>();
        if (kind == AlertKind.Recovery)
        {
            lines.Add($"Your Serverless Monitor deployment ({Deployment}) is well again: {Recovered(subject)}");
            lines.Add($"The trouble was first seen at {Time(openedAt)}; it was over at {Time(at)}.");
            return string.Join('\n', lines);
        }

        lines.Add($"Your Serverless Monitor deployment ({Deployment}) has a problem: {subject.Name}, since {Time(openedAt)}.");
        lines.Add(string.Empty);
        lines.AddRange(What(subject));
        lines.Add(string.Empty);
        lines.Add("What to check:");
        lines.AddRange(Checks(subject).Select(c => $"- {c}"));
        lines.Add(string.Empty);
        lines.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"This is alert {sequence} of at most {IncidentPolicy.MaxFailureAlerts}, repeated every {SelfSubject.RepeatMinutes} minutes while it lasts; a notice follows when it is over."));
        return string.Join('\n', lines);
    }

    private string[] What(SelfSubject subject) => subject.Kind switch
    {
        SelfSubjectKind.RegionSilent =>
        [
            $"Region {subject.Region} has not run its probe cycle for {Cycle.RegionOverview.SilentAfterMinutes} minutes or more: its app is stopped, failing to start, or cannot reach storage.",
            "Its probes are missing from every verdict. The other regions still decide, so monitors are watched from fewer places; if it is the only region left, nothing is.",
        ],
        SelfSubjectKind.RegionUntrusted =>
        [
            $"The verdict step has not trusted region {subject.Region} for {SelfSubject.UntrustedCycles} cycles in a row: its own network is in doubt (its canary targets failed, or its probes failed where the other regions reached the same targets).",
            "Its results are left out of verdicts. The other regions still decide, so monitors are watched from fewer places.",
        ],
        _ =>
        [
            $"The verdict step in the primary region {PrimaryRegion} has not decided a minute for {Cycle.RegionOverview.SilentAfterMinutes} minutes or more.",
            "No verdict is being decided, so no incident opens and no monitor's alert goes out until it runs again. Probes still run and their results are kept.",
        ],
    };

    private string[] Checks(SelfSubject subject) => subject.Kind switch
    {
        SelfSubjectKind.RegionSilent =>
        [
            $"the function app of region {subject.Region} in the Azure portal: is it running, did its last deployment fail?",
            "its logs in Application Insights: errors of the probe-cycle function, and start-up failures (settings, storage access);",
            $"{Deployment}/api/regions and {Deployment}/api/health: every region's last heartbeat.",
        ],
        SelfSubjectKind.RegionUntrusted =>
        [
            $"{Deployment}/api/regions: the reason the verdict step gives for region {subject.Region};",
            $"the region's canary targets (SM_CANARY_TARGETS) and its outbound network: DNS, NAT, the Azure status page for {subject.Region};",
            "its logs in Application Insights: errors of the probe-cycle function.",
        ],
        _ =>
        [
            $"the function app of region {PrimaryRegion} in the Azure portal: is it running, did its last deployment fail?",
            "its logs in Application Insights: errors of the cycle-verdict function, and the storage account it reads (the cycles table);",
            $"{Deployment}/api/health: regions.verdictAt is the verdict step's last run.",
        ],
    };

    private string Recovered(SelfSubject subject) => subject.Kind switch
    {
        SelfSubjectKind.RegionSilent => $"region {subject.Region} runs its probe cycle again.",
        SelfSubjectKind.RegionUntrusted => $"region {subject.Region} is trusted again.",
        _ => $"the verdict step in {PrimaryRegion} decides verdicts again.",
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
