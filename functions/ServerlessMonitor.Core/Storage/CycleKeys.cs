using System.Globalization;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Keys of the cycles table, the TypeScript app's scheme: one partition per scheduling minute
/// holds what every region reported for it, so the verdict step reads a whole cycle with one
/// partition query and deletes it whole an hour later; partition "latest" holds each region's
/// latest cycle for GET /api/regions.
/// </summary>
public static class CycleKeys
{
    public const string Verdict = "verdict";

    public const string LatestPartition = "latest";

    /// <summary>"m" and the minute index in 12 digits, so partitions sort by minute.</summary>
    public static string Partition(long minute)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minute);
        return "m" + minute.ToString("D12", CultureInfo.InvariantCulture);
    }

    /// <summary>The region's cycle started: created once, so a repeated timer run finds it and probes nothing.</summary>
    public static string Claim(string region) => $"{KeyPart.Checked(region, nameof(region))}|claim";

    /// <summary>One chunk of the outcomes one instance probed (part "main" or "s&lt;shard&gt;").</summary>
    public static string Outcomes(string region, string part, int chunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        return $"{KeyPart.Checked(region, nameof(region))}|o|{KeyPart.Checked(part, nameof(part))}|{chunk.ToString("D4", CultureInfo.InvariantCulture)}";
    }

    public const string ChangesPrefix = "changes|";

    /// <summary>Sorts after every row of <see cref="ChangesPrefix"/>.</summary>
    public const string ChangesEnd = "changes}";

    /// <summary>One chunk of the states a minute's verdicts changed.</summary>
    public static string Changes(int chunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        return ChangesPrefix + chunk.ToString("D4", CultureInfo.InvariantCulture);
    }

    /// <summary>The minute of a cycle's partition (<see cref="Partition"/>).</summary>
    public static long MinuteOf(string partition) => long.Parse(partition.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture);

    public static string Health(string region) => $"{KeyPart.Checked(region, nameof(region))}|health";

    /// <summary>Row of a region's latest cycle in <see cref="LatestPartition"/>.</summary>
    public static string Latest(string region) => KeyPart.Checked(region, nameof(region));
}
