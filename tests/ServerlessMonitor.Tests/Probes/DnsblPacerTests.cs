using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>The per-list pace, on a fake clock: queries to one list are spaced, other lists are not held up, a cancelled wait reserves nothing.</summary>
public sealed class DnsblPacerTests
{
    [Fact]
    public async Task Queries_to_one_list_are_spaced_by_its_rate_and_other_lists_go_at_once()
    {
        var time = new FakeTimeProvider();
        var pacer = new DnsblPacer(10, time);

        var first = pacer.WaitAsync("zen.spamhaus.org", CancellationToken.None);
        var second = pacer.WaitAsync("zen.spamhaus.org", CancellationToken.None);
        var third = pacer.WaitAsync("zen.spamhaus.org", CancellationToken.None);
        var other = pacer.WaitAsync("bl.spamcop.net", CancellationToken.None);

        Assert.True(first.IsCompleted);
        Assert.True(other.IsCompleted);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await third;
    }

    [Fact]
    public async Task A_cancelled_check_reserves_no_slots()
    {
        var time = new FakeTimeProvider();
        var pacer = new DnsblPacer(10, time);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await pacer.WaitAsync("zen.spamhaus.org", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 1000; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pacer.WaitAsync("zen.spamhaus.org", cancelled.Token));
        }

        Assert.True(pacer.WaitAsync("zen.spamhaus.org", CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void A_rate_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DnsblPacer(0, TimeProvider.System));
}
