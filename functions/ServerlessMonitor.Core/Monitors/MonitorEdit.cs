namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// A request read into a definition, with what the later checks need: the target's host for the
/// SSRF check, and which fields the request named (a patch re-checks only what it touches, so a
/// channel deleted later does not block renaming a monitor).
/// </summary>
public sealed record MonitorEdit(MonitorDefinition Definition, MonitorTarget Target, IReadOnlySet<string> Given)
{
    /// <summary>Whether the request named the field (null included).</summary>
    public bool Names(string field) => Given.Contains(field);
}
