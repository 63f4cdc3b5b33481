using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Incidents;

/// <summary>
/// An incident outlives its runtime: the first one stops in the middle of a delivery (the alert
/// sent, the activity not yet answered) while the orchestration waits, a second one on the same
/// storage, task hub and outbox takes over, and no alert goes out twice.
/// </summary>
public sealed class IncidentRestartTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Owner = "owner@example.com";

    [Fact]
    public async Task A_runtime_stopped_mid_incident_is_followed_by_one_that_resumes_it_and_sends_no_alert_twice()
    {
        var taskHub = $"rst{Guid.NewGuid():N}"[..20];
        var dataDir = Path.Combine(Path.GetTempPath(), "sm-tests", taskHub);
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string monitorId, account, channel, apiKey;
        long m;

        await using (var first = await IncidentRig.StartAsync(minuteSeconds: 2, azurite.ConnectionString, taskHub, dataDir, services =>
            services.AddSingleton<IMessageSender>(sp => new StuckAfterSending(sp.GetRequiredService<DeliverySender>(), ":failure:2", stuck))))
        {
            account = await first.SignUpAsync(Owner);
            channel = await first.ChannelOfAsync(Owner);
            apiKey = first.ApiKey!;
            monitorId = await first.AddMonitorAsync(new { name = "Survivor", type = "tcp", target = "127.0.0.1:9", intervalMinutes = 1, alertDelayMinutes = 0, repeatMinutes = 1 });
            m = await first.OpenAsync(monitorId);

            // Alert 2 is sent and stored; its activity never answers before this runtime goes.
            await first.WaitForDownAsync(Owner, 2);
            await stuck.Task.WaitAsync(IncidentRig.Patience);
        }

        await using var second = await IncidentRig.StartAsync(minuteSeconds: 2, azurite.ConnectionString, taskHub, dataDir);
        second.UseKey(apiKey);
        var down = await second.WaitForDownAsync(Owner, 4);
        var incident = await second.IncidentWhereAsync(monitorId, i => i["alerts"]!.AsArray().Count(a => (string?)a!["kind"] == "failure") == 4, "four failure alerts recorded");
        var incidentId = (string)incident["id"]!;

        await second.MinuteAsync(m + 8);
        await second.VerdictAsync(monitorId, second.Clock.CurrentMinute, VerdictOutcome.Pass);
        await second.IncidentWhereAsync(monitorId, i => (string?)i["state"] == "recovered" && i["alerts"]!.AsArray().Any(a => (string?)a!["kind"] == "recovery"), "the recovery");

        Assert.Equal([1, 2, 3, 4], (await second.DownTo(Owner)).Select(IncidentRig.SequenceOf));
        Assert.Equal(down.Take(4).Select(IncidentRig.Body), (await second.DownTo(Owner)).Select(IncidentRig.Body));
        Assert.Single(await second.RecoveredTo(Owner));
        var keys = await second.DeliveryKeysOfAsync(incidentId);
        Assert.Equal(5, keys.Count);
        foreach (var key in keys)
        {
            var delivery = await second.DeliveryAsync(key);
            Assert.Equal(DeliveryStatus.Sent, delivery!.Status);
            Assert.Equal(1, delivery.Attempts);
        }

        Assert.Contains($"incident:{incidentId}:{account}:{channel}:failure:2", keys);
    }

    /// <summary>Test-only seam: sends the message with the key ending so, then hangs as a dying runtime would, until stopped.</summary>
    private sealed class StuckAfterSending(IMessageSender inner, string keyEnd, TaskCompletionSource stuck) : IMessageSender
    {
        public bool CanSend(ChannelKind channel) => inner.CanSend(channel);

        public Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, TryNow tryNow, CancellationToken cancellationToken) =>
            inner.SendAsync(message, idempotencyKey, tryNow, cancellationToken);

        public Task<TimeSpan?> ConfirmationWaitAsync(ChannelKind channel, CancellationToken cancellationToken) => inner.ConfirmationWaitAsync(channel, cancellationToken);

        public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, string idempotencyKey, CancellationToken cancellationToken)
        {
            var outcome = await inner.SendAsync(message, idempotencyKey, cancellationToken);
            if (idempotencyKey.EndsWith(keyEnd, StringComparison.Ordinal))
            {
                stuck.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return outcome;
        }
    }
}
