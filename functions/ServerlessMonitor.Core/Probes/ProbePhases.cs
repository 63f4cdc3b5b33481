using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// Milestones of a probe in milliseconds from its start, cumulative as <c>curl -w</c> reports
/// them (time_namelookup, time_connect, time_appconnect, time_starttransfer, time_total), so
/// dns ≤ connect ≤ tls ≤ firstByte ≤ total. A milestone the probe never reached, or that does
/// not apply (no name to resolve, no TLS), is null; the API shows it as null, never omits it.
/// </summary>
public sealed record ProbePhases(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Dns,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Connect,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Tls,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? FirstByte,
    double Total)
{
    /// <summary>The milestones reached, in their order; what "dns ≤ connect ≤ tls ≤ firstByte ≤ total" is about.</summary>
    public IEnumerable<double> Reached()
    {
        foreach (var phase in new[] { Dns, Connect, Tls, FirstByte, Total })
        {
            if (phase is { } value)
            {
                yield return value;
            }
        }
    }
}
