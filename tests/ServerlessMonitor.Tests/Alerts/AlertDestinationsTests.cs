using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Receivers;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// Where a monitor's alerts go (receivers.test.ts "routes alerts to the owner and to each accepted
/// receiver along their own paths"), set up over HTTP on the local runtime and read as the
/// incident reads it when an alert falls due: the owner's verified channels along the monitor's
/// escalation, each accepted receiver's along its own path (or all at once), nobody else, and a
/// channel deleted a moment ago no more.
/// </summary>
public sealed class AlertDestinationsTests(ReceiversRuntime r) : IClassFixture<ReceiversRuntime>
{
    private readonly AccountsRuntime t = r.Runtime;

    [Fact]
    public async Task Alerts_go_to_the_owner_and_each_accepted_receiver_along_their_own_paths_over_verified_channels_only()
    {
        var ownerEmail = (string)(await t.Api("channels", key: r.OwnerKey)).Json!.AsArray().Single(c => (string?)c!["kind"] == "email" && (string?)c["status"] == "verified")!["id"]!;
        var ownerPending = (string)(await t.Api("channels", body: new { kind = "email", address = $"pending-{Guid.NewGuid():N}@example.com" }, key: r.OwnerKey)).Json!["id"]!;
        var created = await t.Api("monitors", body: new
        {
            name = "Checkout",
            type = "https",
            target = "https://example.com/",
            intervalMinutes = 5,
            paused = true,
            escalation = new object[]
            {
                new { afterMinutes = 5, channels = new[] { ownerPending, ownerEmail } },
                new { afterMinutes = 0, channels = new[] { ownerEmail } },
            },
        }, key: r.OwnerKey);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var monitorId = (string)created.Json!["id"]!;

        // Bob takes his alerts by SMS, ten minutes in, every half hour; Carol takes them on every
        // verified channel at once; Dave has not answered; Erin refused.
        var (bobId, bobKey) = await Invited(monitorId, "bob");
        var bobSms = await VerifiedSms(bobKey);
        var foreign = await Answer(monitorId, bobKey, new { accept = true, escalation = new[] { new { afterMinutes = 0, channels = new[] { ownerEmail } } } });
        Assert.Equal((HttpStatusCode.BadRequest, "escalation.0.channels.0"), (foreign.Status, foreign.ErrorField));
        Assert.Equal(HttpStatusCode.OK, (await Answer(monitorId, bobKey, new { accept = true, escalation = new[] { new { afterMinutes = 10, channels = new[] { bobSms } } }, repeatMinutes = 30 })).Status);
        var (carolId, carolKey) = await Invited(monitorId, "carol");
        Assert.Equal(HttpStatusCode.OK, (await Answer(monitorId, carolKey, new { accept = true })).Status);
        var carolEmail = (string)(await t.Api("channels", key: carolKey)).Json!.AsArray()[0]!["id"]!;
        await Invited(monitorId, "dave");
        var (_, erinKey) = await Invited(monitorId, "erin");
        Assert.Equal(HttpStatusCode.OK, (await Answer(monitorId, erinKey, new { accept = false })).Status);

        var destinations = await DestinationsOf(monitorId);
        Assert.Equal(
            new[] { ($"{r.OwnerId}:{ownerEmail}", "email", 0, 15), ($"{carolId}:{carolEmail}", "email", 0, 15), ($"{bobId}:{bobSms}", "sms", 10, 30) }.OrderBy(d => d.Item3).ThenBy(d => d.Item1, StringComparer.Ordinal),
            destinations.Select(d => (d.Key, d.Channel.Kind.ToString().ToLowerInvariant(), d.AfterMinutes, d.RepeatMinutes)));
        Assert.Equal(destinations.Count, destinations.Select(d => d.Key).Distinct().Count());

        // A deleted channel gets nothing from that moment; an owner's pending channel still nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"channels/{bobSms}", HttpMethod.Delete, key: bobKey)).Status);
        Assert.Equal(new[] { r.OwnerId, carolId }.Order(StringComparer.Ordinal), (await DestinationsOf(monitorId)).Select(d => d.AccountId).Order(StringComparer.Ordinal));

        // A receiver that leaves is no destination either.
        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"monitors/{monitorId}/receivers/me", HttpMethod.Delete, key: carolKey)).Status);
        Assert.Equal([$"{r.OwnerId}:{ownerEmail}"], (await DestinationsOf(monitorId)).Select(d => d.Key));
    }

    private async Task<IReadOnlyList<Destination>> DestinationsOf(string monitorId)
    {
        var services = t.Runtime.ServicesOf(t.Runtime.Config.Region);
        var (monitor, receivers) = (await services.GetRequiredService<MonitorStore>().GetWithReceiversAsync(monitorId, default))!.Value;
        return await services.GetRequiredService<Destinations>().ForAsync(monitor, receivers, default);
    }

    /// <summary>An account with its own address, invited to the monitor.</summary>
    private async Task<(string AccountId, string ApiKey)> Invited(string monitorId, string name)
    {
        var email = $"{name}-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await t.Api($"monitors/{monitorId}/receivers", body: new { email }, key: r.OwnerKey)).Status);
        return await t.NewAccount(email);
    }

    /// <summary>An SMS channel confirmed through the link texted to it.</summary>
    private async Task<string> VerifiedSms(string key)
    {
        var phone = $"+1415555{Random.Shared.Next(0, 10_000):0000}";
        var added = await t.Api("channels", body: new { kind = "sms", address = phone }, key: key);
        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.Equal(HttpStatusCode.OK, (await t.ConfirmJson(AccountsRuntime.ConfirmPath(await t.MessageTo(phone)))).Status);
        return (string)added.Json!["id"]!;
    }

    private Task<AccountsRuntime.Answer> Answer(string monitorId, string key, object body) =>
        t.Api($"monitors/{monitorId}/receivers/me", HttpMethod.Put, body, key: key);
}
