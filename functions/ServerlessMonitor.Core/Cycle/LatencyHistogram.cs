using System.Globalization;

namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// Passing probes' total times (ms) in logarithmic buckets, each <see cref="Growth"/> times wider
/// than the last, from <see cref="FloorMs"/> up. Histograms merge exactly (counts add), so an
/// hour's can be summed into a day's; a percentile read from one is the nearest-rank value's
/// bucket, reported as the bucket's geometric middle (clamped to the smallest and largest time
/// seen), which is within <see cref="RelativeError"/> (2 %) of the exact nearest-rank value.
/// </summary>
public sealed record LatencyHistogram(int Count, double Min, double Max, IReadOnlyDictionary<int, int> Buckets)
{
    /// <summary>Each bucket's upper bound is this many times its lower bound.</summary>
    public const double Growth = 1.04;

    /// <summary>Times at or below this fall into bucket 0, reported as themselves (min/max) or the floor.</summary>
    public const double FloorMs = 0.01;

    /// <summary>The most a reported percentile is off, relative to the exact one: √Growth − 1.</summary>
    public static readonly double RelativeError = Math.Sqrt(Growth) - 1;

    public static readonly LatencyHistogram Empty = new(0, 0, 0, new Dictionary<int, int>());

    public static LatencyHistogram Of(IEnumerable<double> totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var buckets = new Dictionary<int, int>();
        int count = 0;
        double min = double.MaxValue, max = 0;
        foreach (var t in totals)
        {
            var b = BucketOf(t);
            buckets[b] = buckets.GetValueOrDefault(b) + 1;
            count++;
            min = Math.Min(min, t);
            max = Math.Max(max, t);
        }

        return count == 0 ? Empty : new LatencyHistogram(count, min, max, buckets);
    }

    public static int BucketOf(double ms) => ms <= FloorMs || double.IsNaN(ms) ? 0 : 1 + (int)Math.Floor(Math.Log(ms / FloorMs) / Math.Log(Growth));

    public LatencyHistogram Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return other;
        }

        var buckets = new Dictionary<int, int>(Buckets);
        foreach (var (b, n) in other.Buckets)
        {
            buckets[b] = buckets.GetValueOrDefault(b) + n;
        }

        return new LatencyHistogram(Count + other.Count, Math.Min(Min, other.Min), Math.Max(Max, other.Max), buckets);
    }

    /// <summary>The nearest-rank <paramref name="p"/>th percentile within <see cref="RelativeError"/>; null when empty.</summary>
    public double? Percentile(double p)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Clamp((long)Math.Ceiling(p / 100.0 * Count), 1, Count);
        long seen = 0;
        foreach (var (b, n) in Buckets.OrderBy(kv => kv.Key))
        {
            seen += n;
            if (seen >= rank)
            {
                var middle = b == 0 ? FloorMs : FloorMs * Math.Pow(Growth, b - 0.5);
                return Math.Clamp(middle, Min, Max);
            }
        }

        return Max;
    }

    /// <summary>
    /// A compact text form for a table column: "count;min;max;" and the buckets in order as
    /// base64 of LEB128 varint pairs (gap from the previous bucket, count): about 2 bytes a bucket.
    /// </summary>
    public string Encode()
    {
        var bytes = new List<byte>(Buckets.Count * 2);
        var previous = 0;
        foreach (var (b, n) in Buckets.OrderBy(kv => kv.Key))
        {
            Varint(bytes, (uint)(b - previous));
            Varint(bytes, (uint)n);
            previous = b;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Count};{Min:R};{Max:R};{Convert.ToBase64String([.. bytes])}");
    }

    public static LatencyHistogram Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(';');
        var bytes = Convert.FromBase64String(parts[3]);
        var buckets = new Dictionary<int, int>();
        var at = 0;
        var bucket = 0;
        while (at < bytes.Length)
        {
            bucket += (int)ReadVarint(bytes, ref at);
            buckets[bucket] = (int)ReadVarint(bytes, ref at);
        }

        return new LatencyHistogram(
            int.Parse(parts[0], CultureInfo.InvariantCulture),
            double.Parse(parts[1], CultureInfo.InvariantCulture),
            double.Parse(parts[2], CultureInfo.InvariantCulture),
            buckets);
    }

    private static void Varint(List<byte> bytes, uint value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }

    private static uint ReadVarint(byte[] bytes, ref int at)
    {
        uint value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
