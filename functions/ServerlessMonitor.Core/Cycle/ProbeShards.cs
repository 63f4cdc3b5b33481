using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Scale-out (DESIGN.md, Probe): monitors due beyond one instance's budget (SM_CYCLE_BUDGET) go,
/// in shards, to the region's own queue (<see cref="StorageNames.ProbeShards"/>); the queue
/// trigger probes each shard with the same code as the timer, so Azure adds instances as the
/// queue grows. A shard still waiting at its cycle's deadline expires or is dropped: its monitors
/// did not report from this region, which never fails them.
/// <para>
/// A shard holds the monitors of one result partition (<see cref="ResultKey.BucketOf"/>), in
/// whole transactions where it can: its results go out as full batches of 100 rows, not as a few
/// rows to each of the 32 partitions (<see cref="ResultWriter"/>).
/// </para>
/// </summary>
public sealed class ProbeShards(StorageClients clients, BatchProber prober, MonitorConfig config, TimeProvider time, ILogger<ProbeShards> logger)
{
    /// <summary>Small shards spread over more instances and workers; two full result transactions each.</summary>
    public const int MaxJobs = 200;

    /// <summary>A queue message is at most 64 KiB and base64 adds a third: the JSON stays under this.</summary>
    private const int MaxChars = 45_000;

    /// <summary>Sends the jobs in shards to the region's queue; returns how many shards.</summary>
    public async Task<int> SendAsync(ProbeBatch cycle, IReadOnlyList<ProbeJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (jobs.Count == 0)
        {
            return 0;
        }

        var queue = clients.Queue(StorageNames.ProbeShards(cycle.Region));
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var shards = Pack(jobs);

        // The message expires with its cycle: nobody should probe for a minute that is over.
        var left = cycle.Deadline - time.GetUtcNow();
        var ttl = left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
        await Task.WhenAll(shards.Select((shard, n) =>
            queue.SendMessageAsync(new ShardMessage(cycle.Region, cycle.Minute, cycle.MinuteAt, cycle.Deadline, n, shard).ToJson(), timeToLive: ttl, cancellationToken: cancellationToken))).ConfigureAwait(false);
        return shards.Count;
    }

    /// <summary>The queue trigger: probes one shard in this region, as the timer would have.</summary>
    public async Task ProbeAsync(string message, CancellationToken cancellationToken)
    {
        if (ShardMessage.Parse(message) is not { } shard)
        {
            // Retrying cannot make it valid: drop it rather than send it to the poison queue.
            logger.LogError("dropped a malformed probe shard");
            return;
        }

        if (shard.Region != config.Region)
        {
            logger.LogError("dropped a probe shard of region {ShardRegion} in {Region}", shard.Region, config.Region);
            return;
        }

        if (time.GetUtcNow() >= shard.Deadline)
        {
            logger.LogWarning("dropped probe shard {Shard} of minute {Minute}: it arrived after its cycle's deadline ({Monitors} monitors not probed)", shard.Shard, shard.Minute, shard.Jobs.Count);
            return;
        }

        var report = await prober.ProbeAsync(shard.Batch, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("probe shard {Shard} of minute {Minute}: {Probed} probed, {Skipped} skipped", shard.Shard, shard.Minute, report.Probed, report.Skipped);
    }

    /// <summary>
    /// Jobs in shards of at most <see cref="MaxJobs"/>, each of one result partition, whose
    /// messages fit a queue message.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ProbeJob>> Pack(IReadOnlyList<ProbeJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var shards = new List<IReadOnlyList<ProbeJob>>();
        var current = new List<ProbeJob>();
        var chars = 0;
        string? bucket = null;
        foreach (var job in InPartitionOrder(jobs))
        {
            var size = ShardMessage.JobJson(job).Length + 1;
            var jobBucket = ResultKey.BucketOf(job.MonitorId);
            if (current.Count > 0 && (current.Count >= MaxJobs || chars + size > MaxChars || jobBucket != bucket))
            {
                shards.Add(current);
                current = [];
                chars = 0;
            }

            current.Add(job);
            chars += size;
            bucket = jobBucket;
        }

        if (current.Count > 0)
        {
            shards.Add(current);
        }

        return shards;
    }

    /// <summary>
    /// The jobs grouped by result partition, otherwise in the order given: what the cycle probes
    /// itself and what it sends in shards then each fill whole result transactions.
    /// </summary>
    public static IEnumerable<ProbeJob> InPartitionOrder(IEnumerable<ProbeJob> jobs) =>
        jobs.OrderBy(j => ResultKey.BucketOf(j.MonitorId), StringComparer.Ordinal);
}
