using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Receivers;

/// <summary>
/// Invitations cannot be used to mail strangers in bulk: an account sends at most 50 a day
/// across all its monitors, resends included, and a refused invitation stores nothing. Through
/// Core over Azurite, with a clock the test moves.
/// </summary>
public sealed class InvitationBudgetTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task An_account_sends_fifty_invitations_a_day_across_its_monitors()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, time);
        var invitations = services.GetRequiredService<Invitations>();
        var monitors = services.GetRequiredService<MonitorStore>();
        var ownerId = Ids.New(Ids.Account);
        var ids = new List<string>();
        for (var m = 0; m < 3; m++)
        {
            ids.Add(await NewMonitor(monitors, ownerId, time));
        }

        for (var i = 0; i < 48; i++)
        {
            await invitations.InviteAsync(ownerId, ids[i / Invitations.PerMonitor], $"r{i}@example.com", CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(10));
        }

        // Resending counts too.
        await invitations.InviteAsync(ownerId, ids[0], "r0@example.com", CancellationToken.None);
        await invitations.InviteAsync(ownerId, ids[2], "r47@example.com", CancellationToken.None);

        var receivers = await monitors.ListReceiversAsync(ids[2], CancellationToken.None);
        var refused = await Assert.ThrowsAsync<Refusal>(() => invitations.InviteAsync(ownerId, ids[2], "one-more@example.com", CancellationToken.None));
        Assert.Equal((RefusalKind.RateLimited, "rate_limited", (string?)null), (refused.Kind, refused.Code, refused.Field));
        Assert.Equal(TimeSpan.FromHours(24) - (TimeSpan.FromMinutes(10) * 48), refused.RetryAfter);
        Assert.Equal(receivers.Count, (await monitors.ListReceiversAsync(ids[2], CancellationToken.None)).Count);
        await Assert.ThrowsAsync<Refusal>(() => invitations.InviteAsync(ownerId, ids[1], "r20@example.com", CancellationToken.None));

        // Another account has its own budget; a day after the first, this one may send again.
        var other = Ids.New(Ids.Account);
        await invitations.InviteAsync(other, await NewMonitor(monitors, other, time), "x@example.com", CancellationToken.None);
        time.Advance(refused.RetryAfter!.Value);
        Assert.True((await invitations.InviteAsync(ownerId, ids[2], "one-more@example.com", CancellationToken.None)).Created);
    }

    private static async Task<string> NewMonitor(MonitorStore monitors, string ownerId, TimeProvider time)
    {
        var id = Ids.New(Ids.Monitor);
        var definition = new MonitorDefinition("Budget", ProbeType.Https, "https://example.com/", 5, 10, ProbeExpect.None, 2, null, 15, 1, false, null, true);
        await monitors.CreateAsync(new MonitorRecord(id, ownerId, definition, MonitorState.Unknown, null, time.GetUtcNow(), time.GetUtcNow()), CancellationToken.None);
        return id;
    }
}
