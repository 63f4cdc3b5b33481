using System.Text.Json.Serialization;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// One entry of an incident's timeline, at its position <paramref name="Seq"/> (0-based).
/// Equal verdicts in a row are one entry that grows (issue 12: a day-long incident stays
/// small): each verdict rewrites it whole, with its count and last minute, so writing it again
/// (a replayed or retried activity) stores the same row.
/// </summary>
/// <param name="Minute">The scheduling minute it is about (a run of verdicts: its first).</param>
/// <param name="Regions">The regions the verdicts rest on (a run: all of them, sorted).</param>
/// <param name="Count">Verdicts in the run; 1 for every other kind.</param>
/// <param name="LastMinute">A run of more than one verdict: the minute of its latest.</param>
public sealed record TimelineEntry(
    int Seq,
    TimelineKind Kind,
    long? Minute = null,
    [property: JsonConverter(typeof(CamelCaseEnumConverter<VerdictOutcome>))] VerdictOutcome? Outcome = null,
    IReadOnlyList<string>? Regions = null,
    int Count = 1,
    long? LastMinute = null);
