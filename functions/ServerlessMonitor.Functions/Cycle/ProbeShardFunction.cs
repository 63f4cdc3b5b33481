using Microsoft.Azure.Functions.Worker;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Functions.Cycle;

/// <summary>A shard of a cycle past one instance's budget, from the region's own queue: probed with the timer's code.</summary>
public sealed class ProbeShardFunction(ProbeShards shards)
{
    [Function("probe-shard")]
    public Task Run([QueueTrigger(StorageNames.ProbeShardsBinding)] string message, CancellationToken cancellationToken) =>
        shards.ProbeAsync(message, cancellationToken);
}
