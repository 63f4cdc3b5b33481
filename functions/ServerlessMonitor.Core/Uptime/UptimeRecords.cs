namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// What the uptime table holds about one monitor for a stretch of months: the closed stretches of
/// each kind (absolute seconds) and what is still going on.
/// </summary>
/// <param name="OutageSince">The confirmed outage still open, if any: it counts as down up to now.</param>
/// <param name="PausedSince">The pause still on, if any: it counts as maintenance up to now.</param>
public sealed record UptimeRecords(
    IReadOnlyDictionary<UptimeKind, SpanSet> Closed,
    long? OutageSince,
    long? PausedSince)
{
    public SpanSet Of(UptimeKind kind) => Closed.TryGetValue(kind, out var set) ? set : SpanSet.Empty;
}
