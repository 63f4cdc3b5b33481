using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Incidents;

/// <summary>
/// The incident orchestration on the real Durable Task engine (DTFx + Azure Storage over
/// Azurite), fed verdicts by the test (<see cref="IncidentRig"/>): the alert delay, escalation,
/// the cap, recovery, a runtime stopped mid-incident and failing activities. Every check is on
/// what the outbox, the incident record and the deliveries table hold; times are compared with
/// the schedule's lower bounds only (an alert never goes before it is due), never with a clock.
/// </summary>
public sealed class IncidentOrchestrationTests
{
    private const string Owner = "owner@example.com";
    private const string Second = "second@example.com";
    private const string Third = "third@example.com";

    [Fact]
    public async Task An_outage_is_alerted_once_the_delay_ends_and_not_before()
    {
        await using var rig = await IncidentRig.StartAsync(minuteSeconds: 2);
        await rig.SignUpAsync(Owner);
        var monitorId = await rig.AddMonitorAsync(new { name = "Delayed", type = "tcp", target = "127.0.0.1:9", intervalMinutes = 1, alertDelayMinutes = 2, repeatMinutes = 60 });

        var m = await rig.OpenAsync(monitorId);
        await rig.VerdictAsync(monitorId, m + 1, VerdictOutcome.Fail);
        var down = (await rig.WaitForDownAsync(Owner, 1)).Single();

        Assert.Equal("DOWN: Delayed", IncidentRig.Subject(down));
        Assert.Equal(1, IncidentRig.SequenceOf(down));
        var incident = await rig.IncidentWhereAsync(monitorId, i => i["alerts"]!.AsArray().Count == 1, "the alert to be recorded");
        Assert.Equal("alerting", (string?)incident["state"]);
        var alert = incident["alerts"]![0]!;
        Assert.Equal("failure", (string?)alert["kind"]);
        Assert.True(At(alert) >= rig.StartOf(m + 2), $"alerted at {At(alert):O}, before the delay ended at {rig.StartOf(m + 2):O}");
        var alerting = incident["timeline"]!.AsArray().Single(e => (string?)e!["kind"] == "alerting")!;
        Assert.True(At(alerting) >= rig.StartOf(m + 2));
    }

    [Fact]
    public async Task An_incident_waiting_for_news_checks_its_monitor_in_time_and_ends_when_it_was_paused_without_a_word()
    {
        // 0.25-second minutes: the check-in, CheckInMinutes after the last turn, comes within 15 s.
        await using var rig = await IncidentRig.StartAsync(minuteSeconds: 0.25);
        await rig.SignUpAsync(Owner);
        var monitorId = await rig.AddMonitorAsync(new { name = "Forgotten", type = "tcp", target = "127.0.0.1:9", intervalMinutes = 1, alertDelayMinutes = 0, repeatMinutes = 600 });
        var m = await rig.OpenAsync(monitorId);
        await rig.WaitForDownAsync(Owner, 1);

        // A suppressed verdict holds the alerts: nothing is due, the incident waits for news.
        await rig.VerdictAsync(monitorId, m + 1, VerdictOutcome.Suppressed);
        await rig.IncidentWhereAsync(monitorId, i => i["timeline"]!.AsArray().Any(e => (string?)e!["outcome"] == "suppressed"), "the suppressed verdict to be recorded");

        // Paused in storage only: the event the API would raise is "lost".
        var store = rig.Services.GetRequiredService<ServerlessMonitor.Core.Storage.MonitorStore>();
        var monitor = (await store.GetAsync(monitorId, CancellationToken.None))!;
        Assert.True(await store.UpdateConfigAsync(monitor, monitor.Definition with { Paused = true }, DateTimeOffset.UtcNow, CancellationToken.None));

        var incident = await rig.IncidentWhereAsync(monitorId, i => (string?)i["end"] == "paused", "the check-in to end the incident as paused");
        Assert.Single(await rig.DownTo(Owner));
        Assert.Empty(await rig.RecoveredTo(Owner));
        Assert.Single(incident["alerts"]!.AsArray());
    }

    [Fact]
    public async Task Pausing_the_monitor_mid_incident_ends_it_quietly_with_no_recovery_notice_and_the_recheck_off()
    {
        await using var rig = await IncidentRig.StartAsync(minuteSeconds: 2);
        await rig.SignUpAsync(Owner);
        var monitorId = await rig.AddMonitorAsync(new { name = "Paused", type = "tcp", target = "127.0.0.1:9", intervalMinutes = 1, alertDelayMinutes = 0, repeatMinutes = 1 });
        await rig.OpenAsync(monitorId);
        await rig.WaitForDownAsync(Owner, 1);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await rig.Http.PatchAsJsonAsync($"monitors/{monitorId}", new { paused = true })).StatusCode);

        var incident = await rig.IncidentWhereAsync(monitorId, i => (string?)i["end"] == "paused", "the incident to end as paused");
        var rechecks = rig.Services.GetRequiredService<ServerlessMonitor.Core.Storage.RecheckStore>();
        await Eventually.True(async () => !(await rechecks.ListAsync(CancellationToken.None)).Contains(monitorId), IncidentRig.Patience, "the recheck flag to go");
        var alerted = (await rig.DownTo(Owner)).Count;
        Assert.InRange(alerted, 1, 4);
        Assert.Empty(await rig.RecoveredTo(Owner));
        Assert.DoesNotContain(incident["alerts"]!.AsArray(), a => (string?)a!["kind"] == "recovery");

        // Quiet for good: two more minutes past the repeat bring no alert.
        await rig.MinuteAsync(rig.Clock.CurrentMinute + 2);
        Assert.Equal(alerted, (await rig.DownTo(Owner)).Count);
    }

    [Fact]
    public async Task A_destination_named_at_a_later_escalation_step_gets_its_first_alert_that_much_later()
    {
        await using var rig = await IncidentRig.StartAsync(minuteSeconds: 2);
        await rig.SignUpAsync(Owner);
        var first = await rig.ChannelOfAsync(Owner);
        var second = await rig.AddEmailChannelAsync(Second);
        var monitorId = await rig.AddMonitorAsync(new
        {
            name = "Escalating",
            type = "tcp",
            target = "127.0.0.1:9",
            intervalMinutes = 1,
            alertDelayMinutes = 0,
            repeatMinutes = 60,
            escalation = new object[] { new { afterMinutes = 0, channels = new[] { first } }, new { afterMinutes = 3, channels = new[] { second } } },
        });

        var m = await rig.OpenAsync(monitorId);
        await rig.WaitForDownAsync(Second, 1);

        var incident = await rig.IncidentWhereAsync(monitorId, i => i["alerts"]!.AsArray().Count == 2, "both alerts to be recorded");
        var alerts = incident["alerts"]!.AsArray();
        var toFirst = alerts.Single(a => ((string)a!["destination"]!).EndsWith(first, StringComparison.Ordinal))!;
        var toSecond = alerts.Single(a => ((string)a!["destination"]!).EndsWith(second, StringComparison.Ordinal))!;
        Assert.True(At(toSecond) >= rig.StartOf(m + 3), $"the second step alerted at {At(toSecond):O}, before M + 3 = {rig.StartOf(m + 3):O}");
        Assert.True(At(toFirst) < At(toSecond), "the first step was not alerted first");
        Assert.Single(await rig.DownTo(Owner));
        Assert.Single(await rig.DownTo(Second));
    }

    [Fact]
    public async Task A_destination_gets_at_most_four_failure_alerts_however_long_the_outage_with_a_short_repeat()
    {
        await using var rig = await IncidentRig.StartAsync(minuteSeconds: 2);
        var account = await rig.SignUpAsync(Owner);
        var monitorId = await rig.AddMonitorAsync(new { name = "Capped", type = "tcp", target = "127.0.0.1:9", intervalMinutes = 1, alertDelayMinutes = 0, repeatMinutes = 1 });

        var m = await rig.OpenAsync(monitorId);
        var four = await rig.WaitForDownAsync(Owner, 4);

        // Well past when a fifth and a sixth would be due, the outage goes on: a verdict of that
        // minute is taken (the timeline shows it), so every earlier deadline has been handled.
        await rig.MinuteAsync(m + 8);
        await rig.VerdictAsync(monitorId, m + 8, VerdictOutcome.Fail);
        await rig.IncidentWhereAsync(monitorId, i => i["timeline"]!.AsArray().Any(e => (long?)e!["lastMinute"] == m + 8 || (long?)e!["minute"] == m + 8), "the verdict of M + 8 in the timeline");
        Assert.Equal([1, 2, 3, 4], (await rig.DownTo(Owner)).Select(IncidentRig.SequenceOf));

        await rig.VerdictAsync(monitorId, m + 9, VerdictOutcome.Pass);
        var incident = await rig.IncidentWhereAsync(monitorId, i => (string?)i["state"] == "recovered" && i["alerts"]!.AsArray().Any(a => (string?)a!["kind"] == "recovery"), "the recovery");
        Assert.Equal([1, 2, 3, 4], incident["alerts"]!.AsArray().Where(a => (string?)a!["kind"] == "failure").Select(a => (int)a!["sequence"]!).Order());
        Assert.Equal(4, (await rig.DownTo(Owner)).Count);
        Assert.Single(await rig.RecoveredTo(Owner));
        var id = (string)incident["id"]!;
        Assert.Equal(5, (await rig.DeliveryKeysOfAsync(id)).Count);
        Assert.Null(await rig.DeliveryAsync($"incident:{id}:{account}:{await rig.ChannelOfAsync(Owner)}:failure:5"));
        Assert.Equal(four.Select(IncidentRig.Body), (await rig.DownTo(Owner)).Select(IncidentRig.Body));
    }

    [Fact]
    public async Task The_recovery_notice_goes_to_every_destination_that_was_alerted_and_to_no_other()
    {
        await using var rig = await IncidentRig.StartAsync(minuteSeconds: 2);
        await rig.SignUpAsync(Owner);
        var first = await rig.ChannelOfAsync(Owner);
        var second = await rig.AddEmailChannelAsync(Second);
        var third = await rig.AddEmailChannelAsync(Third);
        var monitorId = await rig.AddMonitorAsync(new
        {
            name = "Recovering",
            type = "tcp",
            target = "127.0.0.1:9",
            intervalMinutes = 1,
            alertDelayMinutes = 0,
            repeatMinutes = 60,
            escalation = new object[]
            {
                new { afterMinutes = 0, channels = new[] { first } },
                new { afterMinutes = 1, channels = new[] { second } },
                new { afterMinutes = 600, channels = new[] { third } },
            },
        });

        var m = await rig.OpenAsync(monitorId);
        await rig.WaitForDownAsync(Owner, 1);
        await rig.WaitForDownAsync(Second, 1);
        await rig.VerdictAsync(monitorId, m + 1, VerdictOutcome.Pass);

        var incident = await rig.IncidentWhereAsync(monitorId, i => i["alerts"]!.AsArray().Count(a => (string?)a!["kind"] == "recovery") == 2 && (string?)i["state"] == "recovered", "two recovery notices");
        Assert.Equal("recovered", (string?)incident["end"]);
        Assert.Single(await rig.RecoveredTo(Owner));
        Assert.Single(await rig.RecoveredTo(Second));
        Assert.Empty(await rig.DownTo(Third));
        Assert.Empty(await rig.RecoveredTo(Third));
        Assert.DoesNotContain(incident["alerts"]!.AsArray(), a => ((string)a!["destination"]!).EndsWith(third, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failing_alert_activities_are_retried_and_the_alert_is_stored_once_and_counted_once()
    {
        var sender = new FlakySender();
        await using var rig = await IncidentRig.StartAsync(minuteSeconds: 2, configure: services =>
            services.AddSingleton<IMessageSender>(sp => sender.Around(sp.GetRequiredService<DeliverySender>())));
        var account = await rig.SignUpAsync(Owner);
        var channel = await rig.ChannelOfAsync(Owner);
        var monitorId = await rig.AddMonitorAsync(new { name = "Flaky storage", type = "tcp", target = "127.0.0.1:9", intervalMinutes = 1, alertDelayMinutes = 0, repeatMinutes = 1 });

        var m = await rig.OpenAsync(monitorId);
        var two = await rig.WaitForDownAsync(Owner, 2);
        var incidentId = (string)(await rig.IncidentAsync(monitorId))!["id"]!;
        var firstKey = $"incident:{incidentId}:{account}:{channel}:failure:1";

        // Try 1 failed before anything was stored, try 2 after the message was stored and sent;
        // try 3 found the delivery done. One message, one delivery, and the next alert is number 2.
        Assert.Equal(3, sender.Tries(firstKey));
        Assert.Equal([1, 2], two.Take(2).Select(IncidentRig.SequenceOf));
        var delivery = await rig.DeliveryAsync(firstKey);
        Assert.Equal(DeliveryStatus.Sent, delivery!.Status);
        Assert.Equal(1, delivery.Attempts);

        await rig.VerdictAsync(monitorId, Math.Max(m + 1, rig.Clock.CurrentMinute), VerdictOutcome.Pass);
        var incident = await rig.IncidentWhereAsync(monitorId, i => (string?)i["state"] == "recovered" && i["alerts"]!.AsArray().Any(a => (string?)a!["kind"] == "recovery"), "the recovery");
        var failures = (await rig.DownTo(Owner)).Select(IncidentRig.SequenceOf).ToList();
        Assert.Equal(Enumerable.Range(1, failures.Count), failures);
        Assert.Equal(failures, incident["alerts"]!.AsArray().Where(a => (string?)a!["kind"] == "failure").Select(a => (int)a!["sequence"]!).Order());
        Assert.Equal(failures.Count + 1, (await rig.DeliveryKeysOfAsync(incidentId)).Count);
    }

    private static DateTimeOffset At(JsonNode node) => DateTimeOffset.Parse((string)node["at"]!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A test-only seam around the real sender: the first failure alert of an incident fails its
    /// first try before the sender runs (storage unreachable) and its second after the sender
    /// stored and sent it (the activity dies before it answers).
    /// </summary>
    private sealed class FlakySender
    {
        private readonly ConcurrentDictionary<string, int> tries = new(StringComparer.Ordinal);

        public int Tries(string key) => tries.GetValueOrDefault(key);

        public IMessageSender Around(IMessageSender inner) => new Sender(this, inner);

        private sealed class Sender(FlakySender flaky, IMessageSender inner) : IMessageSender
        {
            public bool CanSend(ChannelKind channel) => inner.CanSend(channel);

            public Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, TryNow tryNow, CancellationToken cancellationToken) =>
                inner.SendAsync(message, idempotencyKey, tryNow, cancellationToken);

            public Task<TimeSpan?> ConfirmationWaitAsync(ChannelKind channel, CancellationToken cancellationToken) => inner.ConfirmationWaitAsync(channel, cancellationToken);

            public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken)
            {
                if (!idempotencyKey.EndsWith(":failure:1", StringComparison.Ordinal))
                {
                    return await inner.SendAsync(message, idempotencyKey, cancellationToken);
                }

                var attempt = flaky.tries.AddOrUpdate(idempotencyKey, 1, (_, n) => n + 1);
                if (attempt == 1)
                {
                    throw new InvalidOperationException("storage unreachable (test fault, before the send)");
                }

                var outcome = await inner.SendAsync(message, idempotencyKey, cancellationToken);
                return attempt == 2 ? throw new InvalidOperationException("the activity died after the send (test fault)") : outcome;
            }
        }
    }
}
