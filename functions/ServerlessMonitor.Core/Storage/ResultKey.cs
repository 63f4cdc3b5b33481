using ServerlessMonitor.Core.Cycle;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Where a result lives in the results table, the TypeScript app's scheme:
/// PartitionKey "b&lt;bucket&gt;" (FNV-1a of the monitor id mod 32), RowKey
/// "&lt;monitor&gt;|&lt;inverted ms of the scheduled minute&gt;|&lt;region&gt;".
/// The key is (monitor, region, scheduled minute) and nothing else, not the probe's own start,
/// so a repeated or late timer rewrites the same row instead of adding one. A monitor's rows
/// sit together in one partition, newest first, so its history is one range query; 32
/// partitions let a region batch a cycle's writes (≤ 100 rows of one partition each) while no
/// partition takes more than a thirty-second of the load.
/// </summary>
public sealed record ResultKey
{
    public const int Buckets = 32;

    public ResultKey(string monitorId, string region, DateTimeOffset minuteAt)
    {
        MonitorId = KeyPart.Checked(monitorId, nameof(monitorId));
        Region = KeyPart.Checked(region, nameof(region));
        MinuteAt = minuteAt;
        RowKey = $"{monitorId}|{InvertedTime.Of(minuteAt)}|{region}";
    }

    public string MonitorId { get; }

    public string Region { get; }

    /// <summary>Start of the scheduled minute, whatever the timer's lag.</summary>
    public DateTimeOffset MinuteAt { get; }

    public string PartitionKey => BucketOf(MonitorId);

    public string RowKey { get; }

    public static string BucketOf(string monitorId) =>
        "b" + (StableHash.Of(monitorId) % Buckets).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A filter for every row of a monitor in its bucket (results, and rollups, which share the layout).</summary>
    public static string AllOf(string monitorId)
    {
        KeyPart.Checked(monitorId, nameof(monitorId));
        return Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {BucketOf(monitorId)} and RowKey ge {monitorId + "|"} and RowKey lt {monitorId + "}"}");
    }

    /// <summary>The row keys of a monitor's results scheduled in [from, to], within its partition.</summary>
    public static RowKeyRange HistoryOf(string monitorId, DateTimeOffset from, DateTimeOffset to)
    {
        KeyPart.Checked(monitorId, nameof(monitorId));
        if (from > to)
        {
            throw new ArgumentException("the range ends before it starts", nameof(to));
        }

        // '~' sorts after every character a region name uses, so the oldest minute's rows of
        // every region fall inside the range.
        return new RowKeyRange($"{monitorId}|{InvertedTime.Of(to)}", $"{monitorId}|{InvertedTime.Of(from)}|~");
    }
}
