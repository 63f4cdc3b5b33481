using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Retention;

/// <summary>
/// Deletes what is of no more use (docs/RETENTION.md), once a day, so that no table grows
/// without bound: expired confirmations, pending accounts and channels; sign-up limit rows past
/// every window; finished deliveries after <see cref="DeliveryDays"/> and sending-budget rows of
/// past hours; Idempotency-Key records past their 24 hours; and the results, rollups and
/// incidents of deleted monitors (found by their tombstones, removed last). Raw results and
/// rollups of live monitors are pruned hourly by the rollup job (ResultRollup).
/// <para>
/// A round does at most a given number of rows and stops in time; what it did not reach, the
/// next round finds (every step selects what is due now, so deleting is the progress and no
/// cursor is kept). Every delete is of a row due and, where a row can change, unchanged since
/// read: two rounds may overlap, a stopped one may be run again, and nothing live is touched.
/// </para>
/// </summary>
public sealed class Pruner(
    ConfirmationStore confirmations,
    AccountStore accounts,
    DeliveryStore deliveries,
    MonitorStore monitors,
    ResultStore results,
    RollupStore rollups,
    UptimeStore uptime,
    IncidentStore incidents,
    TimeProvider time,
    ILogger<Pruner> logger)
{
    /// <summary>Rows one round may touch: a few minutes of storage calls, well inside any function timeout.</summary>
    public const int RowsPerRound = 5000;

    /// <summary>Finished deliveries are kept this long (their status answers a repeated send with the same key).</summary>
    public const int DeliveryDays = 30;

    /// <summary>A round stops starting work after this long, whatever is left of its rows.</summary>
    public static readonly TimeSpan RoundTime = TimeSpan.FromMinutes(4);

    /// <summary>
    /// How long a deleted monitor's history waits: its incident orchestration and a cycle in flight
    /// may still write for it for a while after the delete.
    /// </summary>
    public static readonly TimeSpan DeletedMonitorGrace = TimeSpan.FromHours(24);

    /// <summary>The longest sign-up window (SignupLimits): rows with no sign-up inside it limit nothing.</summary>
    private static readonly TimeSpan SignupWindow = TimeSpan.FromHours(1);

    /// <summary>Runs one round of at most <paramref name="rows"/> rows.</summary>
    public async Task<PruneReport> RunAsync(int rows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var now = time.GetUtcNow();
        var started = time.GetTimestamp();
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        var left = rows;
        var steps = new (string Name, Func<int, Task<int>> Step)[]
        {
            ("confirmations", max => confirmations.DeleteExpiredAsync(now, max, cancellationToken)),
            ("pending accounts", max => accounts.DeleteExpiredPendingAsync(now, max, cancellationToken)),
            ("pending channels", max => accounts.DeleteExpiredChannelsAsync(now, max, cancellationToken)),
            ("sign-up limits", max => accounts.DeleteStaleSignupTimesAsync(now - SignupWindow, max, cancellationToken)),
            ("idempotency keys", max => monitors.DeleteIdempotencyBeforeAsync(now - MonitorLimits.IdempotencyKeyLifetime, max, cancellationToken)),
            ("sending budget hours", max => deliveries.DeleteBudgetBeforeAsync(SendingBudget.HourOf(now), max, cancellationToken)),
            ("deliveries", max => deliveries.DeleteOldAsync(now - TimeSpan.FromDays(DeliveryDays), max, cancellationToken)),
            ("deleted monitors", max => DeletedMonitorsAsync(now, max, cancellationToken)),
        };
        var finished = true;
        foreach (var (name, step) in steps)
        {
            if (left <= 0 || time.GetElapsedTime(started) > RoundTime)
            {
                finished = false;
                break;
            }

            var max = left;
            var count = await step(max).ConfigureAwait(false);
            found[name] = count;
            left -= count;
            finished &= count < max;
        }

        var report = new PruneReport(found, finished);
        logger.LogInformation(
            "retention round: {Total} rows ({Found}); {Outcome}",
            report.Total,
            string.Join(", ", found.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}")),
            finished ? "all done" : "more to do");
        return report;
    }

    /// <summary>
    /// The history of monitors deleted more than <see cref="DeletedMonitorGrace"/> ago: results,
    /// rollups, uptime rows and incidents, then the tombstone, last, so a stop halfway leaves it to be found again.
    /// A tombstone whose monitor exists (its delete failed halfway, and the owner kept it) goes alone.
    /// Answers the rows it touched, or <paramref name="max"/> when more may be left.
    /// </summary>
    private async Task<int> DeletedMonitorsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var tombstones = await monitors.ListDeletedAsync(max, cancellationToken).ConfigureAwait(false);
        var spent = 0;
        foreach (var deleted in tombstones.Where(d => d.DeletedAt <= now - DeletedMonitorGrace))
        {
            spent++;
            if (await monitors.GetAsync(deleted.Id, cancellationToken).ConfigureAwait(false) is null)
            {
                foreach (var delete in new Func<int, Task<int>>[]
                {
                    n => results.DeleteMonitorAsync(deleted.Id, n, cancellationToken),
                    n => rollups.DeleteMonitorAsync(deleted.Id, n, cancellationToken),
                    n => uptime.DeleteMonitorAsync(deleted.Id, n, cancellationToken),
                    n => incidents.DeleteMonitorAsync(deleted.Id, n, cancellationToken),
                })
                {
                    var budget = max - spent;
                    var count = budget > 0 ? await delete(budget).ConfigureAwait(false) : 0;
                    spent += count;
                    if (budget <= 0 || count >= budget)
                    {
                        return max;
                    }
                }
            }

            await monitors.ForgetDeletedAsync(deleted, cancellationToken).ConfigureAwait(false);
        }

        return tombstones.Count >= max ? max : Math.Min(spent, max);
    }
}
