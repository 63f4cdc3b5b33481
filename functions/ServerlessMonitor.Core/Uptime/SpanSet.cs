namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// A set of moments as sorted, disjoint, non-adjacent spans. Union is idempotent, commutative and
/// associative, which is what makes the uptime rollups safe to write more than once: adding the
/// same outage again (a retried activity) changes nothing, and overlapping outages count once.
/// </summary>
public sealed class SpanSet
{
    public static readonly SpanSet Empty = new([]);

    private readonly Span[] spans;

    private SpanSet(Span[] normalized) => spans = normalized;

    public IReadOnlyList<Span> Spans => spans;

    public int Count => spans.Length;

    /// <summary>Total seconds covered.</summary>
    public long Length => spans.Sum(s => s.Length);

    public static SpanSet Of(IEnumerable<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var sorted = spans.Where(s => !s.IsEmpty).OrderBy(s => s.Start).ToList();
        var merged = new List<Span>(sorted.Count);
        foreach (var s in sorted)
        {
            if (merged.Count > 0 && s.Start <= merged[^1].End)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, s.End) };
            }
            else
            {
                merged.Add(s);
            }
        }

        return new SpanSet([.. merged]);
    }

    public static SpanSet Of(params Span[] spans) => Of((IEnumerable<Span>)spans);

    public SpanSet Union(SpanSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Count == 0 ? this : Count == 0 ? other : Of(spans.Concat(other.spans));
    }

    /// <summary>The moments of this set that are not in <paramref name="other"/>.</summary>
    public SpanSet Except(SpanSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0 || Count == 0)
        {
            return this;
        }

        var left = new List<Span>();
        var j = 0;
        foreach (var s in spans)
        {
            var start = s.Start;
            while (j < other.spans.Length && other.spans[j].End <= start)
            {
                j++;
            }

            var k = j;
            while (k < other.spans.Length && other.spans[k].Start < s.End)
            {
                if (other.spans[k].Start > start)
                {
                    left.Add(new Span(start, other.spans[k].Start));
                }

                start = Math.Max(start, other.spans[k].End);
                k++;
            }

            if (start < s.End)
            {
                left.Add(new Span(start, s.End));
            }
        }

        return new SpanSet([.. left]);
    }

    /// <summary>The part of this set inside <paramref name="window"/>.</summary>
    public SpanSet Within(Span window)
    {
        if (window.IsEmpty)
        {
            return Empty;
        }

        var inside = new List<Span>();
        foreach (var s in spans)
        {
            var cut = new Span(Math.Max(s.Start, window.Start), Math.Min(s.End, window.End));
            if (!cut.IsEmpty)
            {
                inside.Add(cut);
            }
        }

        return new SpanSet([.. inside]);
    }

    /// <summary>Seconds of this set inside <paramref name="window"/>.</summary>
    public long LengthWithin(Span window)
    {
        long total = 0;
        foreach (var s in spans)
        {
            if (s.Start >= window.End)
            {
                break;
            }

            total += Math.Max(0, Math.Min(s.End, window.End) - Math.Max(s.Start, window.Start));
        }

        return total;
    }

    /// <summary>
    /// At most <paramref name="max"/> spans: when there are more, the shortest gaps are closed
    /// (a monitor flapping thousands of times a month), so the set only grows, by those gaps.
    /// </summary>
    public SpanSet Coarsened(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (Count <= max)
        {
            return this;
        }

        var gaps = new long[spans.Length - 1];
        for (var i = 0; i < gaps.Length; i++)
        {
            gaps[i] = spans[i + 1].Start - spans[i].End;
        }

        // Close the (Count - max) shortest gaps; ties close in time order.
        var close = new bool[gaps.Length];
        foreach (var i in Enumerable.Range(0, gaps.Length).OrderBy(i => gaps[i]).ThenBy(i => i).Take(Count - max))
        {
            close[i] = true;
        }

        var merged = new List<Span>(max) { spans[0] };
        for (var i = 1; i < spans.Length; i++)
        {
            merged[^1] = close[i - 1] ? merged[^1] with { End = spans[i].End } : merged[^1];
            if (!close[i - 1])
            {
                merged.Add(spans[i]);
            }
        }

        return new SpanSet([.. merged]);
    }
}
