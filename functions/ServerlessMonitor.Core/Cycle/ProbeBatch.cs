namespace ServerlessMonitor.Core.Cycle;

/// <summary>Monitors one instance probes for one region and minute: the timer's own share, or one shard.</summary>
/// <param name="MinuteAt">Start of the scheduled minute: the results' key.</param>
/// <param name="Deadline">Every probe ends by then.</param>
/// <param name="Part">"main" for the timer's own instance, "s&lt;n&gt;" for shard n: where its outcomes go in the cycle.</param>
public sealed record ProbeBatch(string Region, long Minute, DateTimeOffset MinuteAt, DateTimeOffset Deadline, string Part, IReadOnlyList<ProbeJob> Jobs);
