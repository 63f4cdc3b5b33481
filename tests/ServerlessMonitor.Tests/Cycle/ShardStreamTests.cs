using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The cycle's fan-out streams (issue 18): a shard leaves as soon as it is full, while the scan of
/// the region's monitors is still going, and the part-filled ones when the scan ends.
/// </summary>
public sealed class ShardStreamTests
{
    private static List<ProbeJob> JobsOf(string bucket, int count) =>
        [.. Enumerable.Range(0, 1_000_000).Select(i => $"m{i:D20}").Where(id => ResultKey.BucketOf(id) == bucket).Take(count)
            .Select(id => new ProbeJob(id, ProbeType.Tcp, "127.0.0.1:9", 1, ProbeExpect.None))];

    [Fact]
    public async Task A_full_shard_is_sent_before_the_scan_ends_and_the_rest_at_its_end()
    {
        var sent = new List<(int Number, IReadOnlyList<ProbeJob> Jobs)>();
        var stream = new ProbeShards.ShardStream((n, jobs) =>
        {
            sent.Add((n, jobs));
            return Task.CompletedTask;
        });
        var b03 = JobsOf("b03", ProbeShards.MaxJobs + 5);
        var b17 = JobsOf("b17", 7);

        foreach (var job in b03.Take(ProbeShards.MaxJobs - 1).Concat(b17))
        {
            stream.Add(job);
        }

        Assert.Empty(sent);
        stream.Add(b03[ProbeShards.MaxJobs - 1]);
        var first = Assert.Single(sent);
        Assert.Equal(0, first.Number);
        Assert.Equal(b03.Take(ProbeShards.MaxJobs), first.Jobs);

        foreach (var job in b03.Skip(ProbeShards.MaxJobs))
        {
            stream.Add(job);
        }

        Assert.Single(sent);
        Assert.Equal(3, await stream.CompleteAsync());
        Assert.Equal([0, 1, 2], sent.Select(s => s.Number));
        Assert.Equal(b03.Skip(ProbeShards.MaxJobs), sent[1].Jobs);
        Assert.Equal(b17, sent[2].Jobs);
    }

    [Fact]
    public void Packing_streams_the_same_jobs_into_shards_of_one_partition_within_a_queue_messages_size()
    {
        // Long targets: a shard is cut by the message size before it reaches MaxJobs.
        var jobs = JobsOf("b05", 400).Select(j => j with { Target = "https://example.com/" + new string('a', 400) }).ToList();

        var shards = ProbeShards.Pack(jobs);

        Assert.True(shards.Count > 2);
        Assert.All(shards, s => Assert.True(s.Sum(j => ShardMessage.JobJson(j).Length + 1) <= 45_000));
        Assert.Equal(jobs, shards.SelectMany(s => s));
    }
}
