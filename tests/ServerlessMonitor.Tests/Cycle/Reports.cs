using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>Region reports for the verdict tests, in the words of the rules.</summary>
internal static class Reports
{
    public static readonly ProbeError Isolated = new(ErrorClass.Connect, "isolated", "ENETUNREACH");
    public static readonly ProbeError HostUnreachable = new(ErrorClass.Connect, "no route to host", "EHOSTUNREACH");
    public static readonly ProbeError ConnectTimeout = new(ErrorClass.Timeout, "no connection within 10 s (connecting)", "ETIMEDOUT");
    public static readonly ProbeError Refused = new(ErrorClass.Connect, "refused", "ECONNREFUSED");
    public static readonly ProbeError Status503 = new(ErrorClass.Status, "HTTP 503");
    public static readonly ProbeError Resolver = new(ErrorClass.Dns, "resolver failed", "EAI_AGAIN");

    public static ProbeOutcome Ok(string monitorId) => new(monitorId, null);

    public static ProbeOutcome Failed(string monitorId, ProbeError error) => new(monitorId, error);

    public static IReadOnlyList<CanaryCheck> Canaries(bool up) =>
        [new("storage:443", up ? null : Isolated), new("1.1.1.1:53", up ? null : Isolated)];

    public static RegionReport Region(string name, IEnumerable<ProbeOutcome> outcomes, bool canariesUp = true) =>
        new(name, Canaries(canariesUp), outcomes.ToList());

    public static IEnumerable<ProbeOutcome> Many(string prefix, int count, Func<string, ProbeOutcome> outcome) =>
        Enumerable.Range(0, count).Select(i => outcome($"{prefix}{i:D3}"));

    public static Dictionary<string, VerdictOutcome> Outcomes(CycleDecision decision) =>
        decision.Verdicts.ToDictionary(v => v.MonitorId, v => v.Outcome);

    public static MonitorVerdict VerdictOf(CycleDecision decision, string monitorId) =>
        decision.Verdicts.Single(v => v.MonitorId == monitorId);

    public static RegionTrust TrustOf(CycleDecision decision, string region) =>
        decision.Regions.Single(r => r.Region == region);
}
