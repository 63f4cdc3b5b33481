using Azure.Storage.Queues;
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
        ArgumentNullException.ThrowIfNull(jobs);
        var stream = Open(cycle, cancellationToken);
        foreach (var job in jobs)
        {
            stream.Add(job);
        }

        return await stream.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A fan-out that sends each shard as soon as it is full, while the cycle is still scanning
    /// its monitors: the consumers start on the first shards seconds into the minute instead of
    /// after the whole region was listed. <see cref="ShardStream.CompleteAsync"/> sends the rest.
    /// </summary>
    public ShardStream Open(ProbeBatch cycle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var queue = new Lazy<Task<QueueClient>>(async () =>
        {
            var client = clients.Queue(StorageNames.ProbeShards(cycle.Region));
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return client;
        });

        return new ShardStream(async (n, shard) =>
        {
            // The message expires with its cycle: nobody should probe for a minute that is over.
            var left = cycle.Deadline - time.GetUtcNow();
            var ttl = left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
            var client = await queue.Value.ConfigureAwait(false);
            await client.SendMessageAsync(new ShardMessage(cycle.Region, cycle.Minute, cycle.MinuteAt, cycle.Deadline, n, shard).ToJson(), timeToLive: ttl, cancellationToken: cancellationToken).ConfigureAwait(false);
        });
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
    /// messages fit a queue message (<see cref="ShardPacker"/>).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ProbeJob>> Pack(IEnumerable<ProbeJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var packer = new ShardPacker();
        var shards = jobs.Select(packer.Add).OfType<IReadOnlyList<ProbeJob>>().ToList();
        shards.AddRange(packer.Rest());
        return shards;
    }

    /// <summary>The jobs grouped by result partition, otherwise in the order given: the cycle's own share then fills whole result transactions where it can.</summary>
    public static IEnumerable<ProbeJob> InPartitionOrder(IEnumerable<ProbeJob> jobs) =>
        jobs.OrderBy(j => ResultKey.BucketOf(j.MonitorId), StringComparer.Ordinal);

    /// <summary>
    /// Fills one open shard per result partition (<see cref="ResultKey.BucketOf"/>) and hands a
    /// shard over as soon as it is full: <see cref="MaxJobs"/> jobs, or as many as fit a queue message.
    /// </summary>
    public sealed class ShardPacker
    {
        private readonly Dictionary<string, (List<ProbeJob> Jobs, int Chars)> open = new(StringComparer.Ordinal);

        /// <summary>Adds a job; returns a shard that is full now, else null.</summary>
        public IReadOnlyList<ProbeJob>? Add(ProbeJob job)
        {
            ArgumentNullException.ThrowIfNull(job);
            var bucket = ResultKey.BucketOf(job.MonitorId);
            var size = ShardMessage.JobJson(job).Length + 1;
            IReadOnlyList<ProbeJob>? full = null;
            if (open.TryGetValue(bucket, out var current) && current.Chars + size > MaxChars)
            {
                full = current.Jobs;
                current = default;
            }

            current.Jobs ??= [];
            current.Jobs.Add(job);
            current.Chars += size;
            open[bucket] = current;
            if (full is null && current.Jobs.Count >= MaxJobs)
            {
                full = current.Jobs;
                open.Remove(bucket);
            }

            return full;
        }

        /// <summary>The shards still open, by partition, emptying the packer.</summary>
        public IReadOnlyList<IReadOnlyList<ProbeJob>> Rest()
        {
            var rest = open.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (IReadOnlyList<ProbeJob>)b.Value.Jobs).ToList();
            open.Clear();
            return rest;
        }
    }

    /// <summary>Shards sent as they fill (<see cref="Open"/>); numbered in the order they went.</summary>
    public sealed class ShardStream(Func<int, IReadOnlyList<ProbeJob>, Task> send)
    {
        private readonly ShardPacker packer = new();
        private readonly List<Task> sends = [];

        /// <summary>Adds a job; a shard it fills goes to the queue at once (awaited by <see cref="CompleteAsync"/>).</summary>
        public void Add(ProbeJob job)
        {
            if (packer.Add(job) is { } full)
            {
                sends.Add(send(sends.Count, full));
            }
        }

        /// <summary>Sends the part-filled shards and waits for every send; returns how many shards went.</summary>
        public async Task<int> CompleteAsync()
        {
            foreach (var shard in packer.Rest())
            {
                sends.Add(send(sends.Count, shard));
            }

            await Task.WhenAll(sends).ConfigureAwait(false);
            return sends.Count;
        }
    }
}
