using FsCheck.Xunit;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Tests.Storage;

public sealed class CycleKeysTests
{
    [Fact]
    public void Keys_are_the_TypeScript_apps()
    {
        Assert.Equal("m000029599640", CycleKeys.Partition(29_599_640));
        Assert.Equal("eu|claim", CycleKeys.Claim("eu"));
        Assert.Equal("eu|o|main|0000", CycleKeys.Outcomes("eu", "main", 0));
        Assert.Equal("eu|o|s12|0003", CycleKeys.Outcomes("eu", "s12", 3));
        Assert.Equal("eu|health", CycleKeys.Health("eu"));
        Assert.Equal("verdict", CycleKeys.Verdict);
        Assert.Equal(("latest", "eu"), (CycleKeys.LatestPartition, CycleKeys.Latest("eu")));
    }

    [Property(MaxTest = 300)]
    public bool Partitions_sort_by_minute(uint a, uint b)
    {
        // Scaled local minutes pass Int32: the keys must still sort as the numbers do.
        var (x, y) = ((long)a * 300, (long)b * 300);
        return Math.Sign(string.CompareOrdinal(CycleKeys.Partition(x), CycleKeys.Partition(y))) == Math.Sign(x.CompareTo(y));
    }

    [Fact]
    public void Refuses_what_would_break_a_key()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CycleKeys.Partition(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CycleKeys.Outcomes("eu", "main", -1));
        Assert.Throws<ArgumentException>(() => CycleKeys.Claim("eu|x"));
        Assert.Throws<ArgumentException>(() => CycleKeys.Outcomes("eu", "s|1", 0));
    }
}
