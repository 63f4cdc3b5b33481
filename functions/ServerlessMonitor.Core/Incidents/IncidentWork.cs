using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Scheduling;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Core.Uptime;

namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// The incident orchestration's work with the world, one method per activity. Each runs at
/// least once per scheduling (a retry or a restart runs it again), so each is idempotent: rows
/// are keyed by what they record, and an alert goes out under the key (incident, destination,
/// sequence), which the sender never sends twice. Incidents about the deployment itself
/// (<see cref="SelfSubject"/>) branch off to <see cref="SelfIncidentWork"/>.
/// </summary>
public sealed class IncidentWork(
    MonitorStore monitors,
    Destinations destinations,
    IncidentStore incidents,
    RecheckStore rechecks,
    AlertMessages messages,
    IMessageSender sender,
    ResultStore results,
    SchedulingClock clock,
    SelfIncidentWork self,
    UptimeRecorder uptime)
{
    /// <summary>Creates the incident's row (once) and answers the monitor as it is; anything but active ends the start.</summary>
    public async Task<MonitorNow> OpenAsync(IncidentStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (SelfSubject.TryParse(start.MonitorId, out var subject))
        {
            return self.Now(subject);
        }

        var found = await monitors.GetWithReceiversAsync(start.MonitorId, cancellationToken).ConfigureAwait(false);
        var now = await NowAsync(found, cancellationToken).ConfigureAwait(false);
        if (now.Status == MonitorNowStatus.Active && found is var (monitor, _))
        {
            var alerted = new AlertedMonitor(monitor.Id, monitor.Definition.Name, monitor.Definition.Type, monitor.Definition.Target);
            var record = new IncidentRecord(start.IncidentId, start.MonitorId, alerted, start.Minute, start.At, IncidentStatus.Pending, End: null, ClosedAt: null);
            if (await incidents.CreateAsync(record, cancellationToken).ConfigureAwait(false))
            {
                return now;
            }

            // This start's own row, written by an earlier try of this activity, unless it is over.
            if ((await incidents.GetAsync(start.IncidentId, cancellationToken).ConfigureAwait(false))?.ClosedAt is null)
            {
                return now;
            }
        }

        // Nothing will run for it: the recheck flag the hand-off set goes too.
        await rechecks.UnflagAsync(start.MonitorId, cancellationToken).ConfigureAwait(false);
        return now.Status == MonitorNowStatus.Active ? MonitorNow.Stale : now;
    }

    /// <summary>The monitor's settings and destinations now; paused or deleted when so.</summary>
    public async Task<MonitorNow> NowAsync(string monitorId, CancellationToken cancellationToken) =>
        SelfSubject.TryParse(monitorId, out var subject)
            ? self.Now(subject)
            : await NowAsync(await monitors.GetWithReceiversAsync(monitorId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<MonitorNow> NowAsync((MonitorRecord Monitor, IReadOnlyList<Receiver> Receivers)? found, CancellationToken cancellationToken)
    {
        if (found is not var (monitor, receivers))
        {
            return MonitorNow.Deleted;
        }

        if (monitor.Definition.Paused)
        {
            return MonitorNow.Paused;
        }

        var current = await destinations.ForAsync(monitor, receivers, cancellationToken).ConfigureAwait(false);
        return new MonitorNow(
            MonitorNowStatus.Active,
            monitor.Definition.AlertDelayMinutes,
            monitor.Definition.RecoveryPasses,
            [.. current.Select(d => new DestinationPlan(d.Key, d.AfterMinutes, d.RepeatMinutes))]);
    }

    public async Task RecordAsync(IncidentRecordInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (SelfSubject.TryParse(input.MonitorId, out var subject))
        {
            self.Record(subject, input);
            return;
        }

        if (input.Timeline.Count > 0)
        {
            await incidents.PutTimelineAsync(input.IncidentId, input.At, input.Timeline, cancellationToken).ConfigureAwait(false);
        }

        if (input.Recheck == true)
        {
            await rechecks.FlagAsync(input.MonitorId, input.At, cancellationToken).ConfigureAwait(false);
        }
        else if (input.Recheck == false)
        {
            await rechecks.UnflagAsync(input.MonitorId, cancellationToken).ConfigureAwait(false);
        }

        if (input.State is { } state && await incidents.GetAsync(input.IncidentId, cancellationToken).ConfigureAwait(false) is { } incident)
        {
            // Under the row's ETag: a lost race is another try of this same write; read and write again.
            while (!await incidents.SetStateAsync(incident, state, input.End, input.Closed ? input.At : null, cancellationToken).ConfigureAwait(false))
            {
                incident = await incidents.GetAsync(input.IncidentId, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"incident {input.IncidentId} vanished");
            }
        }

        // Uptime (docs/UPTIME.md): an incident that alerts is a confirmed outage; when it ends, its
        // downtime goes into the monitor's rollups. Both are safe to run again with the activity.
        if (input.State == IncidentStatus.Alerting || input.Timeline.Any(e => e.Kind == TimelineKind.Alerting))
        {
            await uptime.OutageConfirmedAsync(input.IncidentId, cancellationToken).ConfigureAwait(false);
        }

        if (input.Closed)
        {
            await uptime.IncidentEndedAsync(input.IncidentId, input.At, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores the alert for delivery and makes its first try; the status it reached, or null when
    /// the destination is gone (a channel removed or a receiver left since the policy planned it).
    /// Throws when it could not be stored: the orchestrator then asks for it again later.
    /// </summary>
    public async Task<AlertStatus?> AlertAsync(IncidentAlertInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (SelfSubject.TryParse(input.MonitorId, out var subject))
        {
            return await self.AlertAsync(subject, input, cancellationToken).ConfigureAwait(false);
        }

        if (await monitors.GetWithReceiversAsync(input.MonitorId, cancellationToken).ConfigureAwait(false) is not var (monitor, receivers))
        {
            return null;
        }

        var destination = (await destinations.ForAsync(monitor, receivers, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => d.Key == input.Destination);
        if (destination is null)
        {
            return null;
        }

        var content = new AlertContent(
            input.Kind,
            new AlertedMonitor(monitor.Id, monitor.Definition.Name, monitor.Definition.Type, monitor.Definition.Target),
            input.IncidentId,
            input.OpenedAt,
            input.At,
            input.Sequence,
            input.Kind == AlertKind.Failure ? await FailureAsync(input, cancellationToken).ConfigureAwait(false) : null);
        var message = messages.For(content, destination.Channel.Kind, destination.Channel.Address) with
        {
            Priority = MessagePriority.Alert,
            Destination = new MessageDestination(destination.AccountId, destination.Channel.Id),
        };
        var key = $"incident:{input.IncidentId}:{input.Destination}:{(input.Kind == AlertKind.Failure ? $"failure:{input.Sequence}" : "recovery")}";
        var outcome = await sender.SendAsync(message, key, cancellationToken).ConfigureAwait(false);
        var status = outcome switch
        {
            DeliveryOutcome.Sent => AlertStatus.Sent,
            DeliveryOutcome.Pending => AlertStatus.Retrying,
            _ => AlertStatus.Failed,
        };
        await incidents.PutAlertAsync(input.IncidentId, new AlertRecord(input.At, input.Destination, destination.Channel.Kind, input.Kind, input.Sequence, status), cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>
    /// What the failing verdict's regions saw in its minute, read from the results the cycle
    /// stored (the verdict was decided from them). Regions whose probe passed, or left no result,
    /// are not evidence and are left out; null when none is left.
    /// </summary>
    private async Task<FailureSummary?> FailureAsync(IncidentAlertInput input, CancellationToken cancellationToken)
    {
        if (input.FailedMinute is not { } minute || input.FailedRegions is not { Count: > 0 } regions)
        {
            return null;
        }

        var at = clock.StartOf(minute);
        var found = await results.RangeAsync(input.MonitorId, at, at, region: null, limit: 100, cancellationToken).ConfigureAwait(false);
        var failures = regions
            .Select(region => found.FirstOrDefault(r => r.Region == region && r.MinuteAt == at))
            .OfType<CycleResult>()
            .Where(r => !r.Probe.Ok)
            .Select(r => new RegionFailure(r.Region, r.Probe.Error, r.Probe.Status, r.Probe.Phases))
            .ToList();
        return failures.Count == 0 ? null : new FailureSummary(minute, at, failures);
    }
}
