using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Probes a batch of monitors for one region and minute: the code both the timer's instance and
/// the shard workers run. Probes run concurrently up to a limit; none starts with less than
/// <see cref="MinProbeTime"/> left before the deadline and none runs past it. Results are written
/// as they come (<see cref="ResultWriter"/>), the short outcomes for the verdict at the end.
/// Writing a batch again (a retried shard) replaces the same rows: nothing is written twice.
/// </summary>
public sealed class BatchProber(Prober prober, ResultStore results, CycleStore cycles, TimeProvider time, ILogger<BatchProber> logger)
{
    /// <summary>Probes in flight per instance: enough to hide network waits, few enough for 2 cores.</summary>
    public const int Concurrency = 200;

    /// <summary>A probe started with less time than this could only time out.</summary>
    public static readonly TimeSpan MinProbeTime = TimeSpan.FromMilliseconds(250);

    public async Task<BatchReport> ProbeAsync(ProbeBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var writer = new ResultWriter(results, logger, cancellationToken);
        var outcomes = new ConcurrentBag<ProbeOutcome>();
        var skipped = 0;
        await Parallel.ForEachAsync(
            batch.Jobs,
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (job, ct) =>
            {
                var startedAt = time.GetUtcNow();
                var left = batch.Deadline - startedAt;
                if (left < MinProbeTime)
                {
                    Interlocked.Increment(ref skipped);
                    return;
                }

                var probe = await prober.ProbeAsync(job.Spec(left), ct).ConfigureAwait(false);
                var result = new CycleResult(job.MonitorId, batch.Region, batch.MinuteAt, startedAt, probe);
                outcomes.Add(result.Outcome with { Scanned = job.Scanned });
                writer.Add(result);
            }).ConfigureAwait(false);

        var (unwritten, transactions) = await writer.CloseAsync().ConfigureAwait(false);
        await cycles.WriteOutcomesAsync(batch.Region, batch.Minute, batch.Part, outcomes, cancellationToken).ConfigureAwait(false);
        return new BatchReport(outcomes.Count, skipped, unwritten, transactions);
    }
}
