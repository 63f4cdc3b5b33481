using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Uptime;

/// <summary>
/// The minutes suppressed for every monitor at once (partition <see cref="UptimeStore.Deployment"/>).
/// Every report needs them and they are the same for all monitors, so they are read once and
/// kept for <see cref="Fresh"/>: a status page of 50 monitors reads them once, not 100 times. A
/// minute stored through this instance is seen at once; one stored by another instance, within
/// <see cref="Fresh"/> (it only moves seconds between observed and suppressed).
/// </summary>
public sealed class DeploymentSuppression(UptimeStore store, TimeProvider time)
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(60);

    private Read? last;

    /// <summary>The deployment's suppressed spans from the month of <paramref name="from"/> on (possibly earlier ones too).</summary>
    public async Task<SpanSet> ReadAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        var month = UptimeStore.MonthOf(from);
        var now = time.GetUtcNow();
        if (last is { } kept && kept.From <= month && now - kept.At < Fresh && now >= kept.At)
        {
            return kept.Spans;
        }

        var read = await store.ReadAsync(UptimeStore.Deployment, month, cancellationToken).ConfigureAwait(false);
        var spans = read.Of(UptimeKind.Suppressed);
        last = new Read(month, now, spans);
        return spans;
    }

    /// <summary>Stores a suppressed minute for everyone; this instance's next read sees it.</summary>
    public async Task AddAsync(Span minute, CancellationToken cancellationToken)
    {
        await store.AddAsync(UptimeStore.Deployment, new Dictionary<UptimeKind, SpanSet> { [UptimeKind.Suppressed] = SpanSet.Of(minute) }, cancellationToken).ConfigureAwait(false);
        last = null;
    }

    private sealed record Read(DateTimeOffset From, DateTimeOffset At, SpanSet Spans);
}
