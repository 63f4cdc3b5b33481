using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Alerts;

/// <summary>
/// Certificate warnings that do something (docs/MONITORS.md, Certificate warnings): after the
/// verdict step decided a minute, each monitor whose probes saw a certificate expiring within its
/// warning window (any region; the one with fewest days left) and whose monitor row has not been
/// warned about that certificate yet gets one message per destination. The row then remembers the
/// certificate, so the same one seen again next minute sends nothing, a renewed one (another
/// SHA-256) warns again, and a passing probe without a warning clears it.
/// <para>
/// Order makes it at-least-once without duplicates: send first (the sender never sends an
/// idempotency key twice), record after. A crash between the two sends again under the same keys,
/// which delivers nothing new, and then records.
/// </para>
/// </summary>
public sealed class CertificateNotices(
    MonitorStore monitors,
    Destinations destinations,
    IMessageSender sender,
    TimeProvider time,
    ILogger<CertificateNotices> logger)
{
    /// <summary>
    /// Monitors newly warned about per decided minute. A deployment's first run may find hundreds
    /// of certificates expiring at once; the rest wait a minute rather than hold up the verdicts'
    /// hand-off.
    /// </summary>
    public const int MaxWarnedPerRun = 50;

    /// <summary>Monitors handled at once: sends are network round trips, each a few hundred ms.</summary>
    private const int Concurrency = 8;

    /// <summary>
    /// Acts on one decided cycle: <paramref name="reports"/> are its regions' outcomes,
    /// <paramref name="scanned"/> the monitor rows as the cycle's scans found them
    /// (<see cref="CycleRecord.Scanned"/>; a monitor without one is read). Never throws for one
    /// monitor's trouble: it is logged and tried again next minute, whose probes see the same
    /// certificate. Returns how many monitors were newly warned about.
    /// </summary>
    public async Task<int> RunAsync(IReadOnlyList<RegionReport> reports, IReadOnlyDictionary<string, ScannedState?> scanned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(scanned);
        var (warnings, clean) = Seen(reports);
        var work = new List<(string Id, string? WarnedSha256, CertificateWarning? Warning)>();
        var news = 0;
        // A clean probe matters only where a warning may be recorded: nearly every monitor has none, as its scan says.
        var candidates = warnings.Keys.Concat(clean.Where(id => scanned.GetValueOrDefault(id) is not { WarnedSha256: null }));
        foreach (var id in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (await KnownAsync(id, scanned, cancellationToken).ConfigureAwait(false) is not { } known)
            {
                continue;
            }

            if (warnings.TryGetValue(id, out var warning))
            {
                if (warning.Sha256 != known.WarnedSha256 && news++ >= MaxWarnedPerRun)
                {
                    continue;
                }

                if (warning.Sha256 != known.WarnedSha256 || warning.DaysLeft != known.WarnedDaysLeft)
                {
                    work.Add((id, known.WarnedSha256, warning));
                }
            }
            else if (known.WarnedSha256 is not null)
            {
                work.Add((id, known.WarnedSha256, null));
            }
        }

        var warned = 0;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            try
            {
                if (await ActAsync(item.Id, item.WarnedSha256, item.Warning, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref warned);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "certificate warning of monitor {MonitorId} not done; the next minute tries again", item.Id);
            }
        }).ConfigureAwait(false);
        return warned;
    }

    /// <summary>
    /// What the monitor row says was warned about: from the cycle's scan (a probed monitor was not
    /// paused), or, where the scan cannot tell, from the row itself; null for a monitor gone or paused.
    /// </summary>
    private async Task<ScannedState?> KnownAsync(string id, IReadOnlyDictionary<string, ScannedState?> scanned, CancellationToken cancellationToken)
    {
        if (scanned.GetValueOrDefault(id) is { } known)
        {
            return known;
        }

        try
        {
            return await monitors.GetAsync(id, cancellationToken).ConfigureAwait(false) is { Definition.Paused: false } row
                ? new ScannedState(row.State, row.Certificate?.Sha256, row.Certificate?.DaysLeft)
                : null;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or ArgumentException)
        {
            logger.LogWarning("certificate warning of monitor {MonitorId} not checked; the next minute tries again: {Error}", id, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Per monitor, the warning with the fewest days left any region saw, and the monitors some
    /// region probed successfully without a warning (their certificate was renewed, or the
    /// window or target changed).
    /// </summary>
    private static (Dictionary<string, CertificateWarning> Warnings, HashSet<string> Clean) Seen(IReadOnlyList<RegionReport> reports)
    {
        var warnings = new Dictionary<string, CertificateWarning>(StringComparer.Ordinal);
        var clean = new HashSet<string>(StringComparer.Ordinal);
        foreach (var outcome in reports.SelectMany(r => r.Outcomes))
        {
            if (outcome.Certificate is not { } warning)
            {
                if (outcome.Ok)
                {
                    clean.Add(outcome.MonitorId);
                }
            }
            else if (!warnings.TryGetValue(outcome.MonitorId, out var seen) || Sooner(warning, seen))
            {
                warnings[outcome.MonitorId] = warning;
            }
        }

        return (warnings, clean);
    }

    private static bool Sooner(CertificateWarning a, CertificateWarning b) =>
        a.DaysLeft != b.DaysLeft ? a.DaysLeft < b.DaysLeft : string.CompareOrdinal(a.Sha256, b.Sha256) < 0;

    private async Task<bool> ActAsync(string id, string? warnedSha256, CertificateWarning? warning, CancellationToken cancellationToken)
    {
        if (warning is null)
        {
            if (await monitors.ClearWarnedCertificateAsync(id, warnedSha256!, cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("monitor {MonitorId}: certificate {Sha256} no longer expires soon; its warning is cleared", id, warnedSha256);
            }

            return false;
        }

        if (warning.Sha256 == warnedSha256)
        {
            // The same certificate a day closer: what the API shows follows; nobody is told again.
            // A row changed between the read and the write is caught up next minute.
            if (await monitors.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } row && row.Certificate?.Sha256 == warning.Sha256 && row.Certificate.DaysLeft != warning.DaysLeft)
            {
                await monitors.SetWarnedDaysLeftAsync(id, warning.DaysLeft, row.ETag, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }

        return await WarnAsync(id, warning, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the warning to each destination, then records it on the monitor; false when the monitor is gone, paused or was recorded meanwhile.</summary>
    private async Task<bool> WarnAsync(string monitorId, CertificateWarning warning, CancellationToken cancellationToken)
    {
        // Read now, not from the scan: a monitor paused or deleted a moment ago gets nothing.
        if (await monitors.GetWithReceiversAsync(monitorId, cancellationToken).ConfigureAwait(false) is not var (monitor, receivers)
            || monitor.Definition.Paused
            || monitor.Certificate?.Sha256 == warning.Sha256)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var notice = new CertificateNotice(new AlertedMonitor(monitor.Id, monitor.Definition.Name, monitor.Definition.Type, monitor.Definition.Target), warning, now);
        foreach (var destination in FirstStep(await destinations.ForAsync(monitor, receivers, cancellationToken).ConfigureAwait(false)))
        {
            var message = CertificateMessages.For(notice, destination.Channel.Kind, destination.Channel.Address) with
            {
                Priority = MessagePriority.Alert,
                Destination = new MessageDestination(destination.AccountId, destination.Channel.Id),
            };
            var outcome = await sender.SendAsync(message, $"certificate:{monitor.Id}:{warning.Sha256}:{destination.Key}", cancellationToken).ConfigureAwait(false);
            if (outcome is DeliveryOutcome.Failed failed)
            {
                logger.LogWarning("certificate warning of monitor {MonitorId} to {Destination} failed: {Error}", monitor.Id, destination.Key, failed.Error);
            }
        }

        var warned = new WarnedCertificate(warning.Sha256, warning.DaysLeft, warning.ExpiresAt, warning.Subject, now);
        MonitorRecord? current = monitor;
        for (var tries = 0; tries < 5; tries++)
        {
            if (await monitors.SetWarnedCertificateAsync(monitor.Id, warned, current.ETag, cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("monitor {MonitorId}: warned that certificate {Sha256} expires in {DaysLeft} days", monitor.Id, warning.Sha256, warning.DaysLeft);
                return true;
            }

            // Changed since read (a state write, an edit): record it unless it is gone or paused now.
            current = await monitors.GetAsync(monitor.Id, cancellationToken).ConfigureAwait(false);
            if (current is null || current.Definition.Paused || current.Certificate?.Sha256 == warning.Sha256)
            {
                return false;
            }
        }

        // Sent but not recorded: the next minute sends under the same keys (nothing new) and records.
        return false;
    }

    /// <summary>
    /// A warning is not an outage, so it does not escalate: each account gets it on the channels of
    /// its earliest step that has a verified channel, at once, like the first alert of an incident.
    /// </summary>
    private static IEnumerable<Destination> FirstStep(IReadOnlyList<Destination> all) =>
        all.GroupBy(d => d.AccountId, StringComparer.Ordinal)
            .SelectMany(account => account.Where(d => d.AfterMinutes == account.Min(a => a.AfterMinutes)));
}
