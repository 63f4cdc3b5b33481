using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>
/// Sign-up cannot mail strangers in bulk or spend the quota alerts need: limits per address,
/// per client network and overall, all checked before anything is written; unconfirmed rows
/// carry their expiry. Through Core, with a clock the test moves.
/// </summary>
public sealed class SignupLimitTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");

    [Fact]
    public async Task An_address_may_sign_up_three_times_an_hour()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, time);
        var signups = services.GetRequiredService<Signups>();
        var email = $"{Guid.NewGuid():N}@example.com";

        for (var i = 0; i < 3; i++)
        {
            await signups.SignUpAsync(email, null, Client, CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(10));
        }

        var refused = await Assert.ThrowsAsync<Refusal>(() => signups.SignUpAsync(email, null, Client, CancellationToken.None));
        Assert.Equal(RefusalKind.RateLimited, refused.Kind);
        Assert.Equal("email", refused.Field);
        Assert.Equal(TimeSpan.FromMinutes(30), refused.RetryAfter);

        time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        await signups.SignUpAsync(email, null, Client, CancellationToken.None);
    }

    [Fact]
    public async Task A_client_network_may_sign_up_twenty_addresses_an_hour_and_an_ipv6_slash_64_is_one_network()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, time);
        var signups = services.GetRequiredService<Signups>();
        var prefix = $"2001:db8:{Random.Shared.Next(0xffff):x}:1";

        for (var i = 0; i < SignupLimits.PerNetwork.Max; i++)
        {
            await signups.SignUpAsync($"{Guid.NewGuid():N}@example.com", null, IPAddress.Parse($"{prefix}::{i + 1:x}"), CancellationToken.None);
        }

        var before = await Snapshot();
        var refused = await Assert.ThrowsAsync<Refusal>(() => signups.SignUpAsync($"{Guid.NewGuid():N}@example.com", null, IPAddress.Parse($"{prefix}:ffff::1"), CancellationToken.None));
        Assert.Equal(RefusalKind.RateLimited, refused.Kind);
        Assert.Null(refused.Field);
        Assert.NotNull(refused.RetryAfter);
        Assert.Equal(before, await Snapshot());

        await signups.SignUpAsync($"{Guid.NewGuid():N}@example.com", null, IPAddress.Parse($"{prefix[..^1]}2::1"), CancellationToken.None);
    }

    [Fact]
    public async Task The_deployment_takes_at_most_a_hundred_sign_ups_an_hour_from_all_networks_together()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(1));
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, time);
        var signups = services.GetRequiredService<Signups>();

        // Other tests of this class share the overall row; a year ahead, their sign-ups are out of the window.
        for (var i = 0; i < SignupLimits.Overall.Max; i++)
        {
            await signups.SignUpAsync($"{Guid.NewGuid():N}@example.com", null, IPAddress.Parse($"198.51.{i / 250}.{(i % 250) + 1}"), CancellationToken.None);
        }

        var refused = await Assert.ThrowsAsync<Refusal>(() => signups.SignUpAsync($"{Guid.NewGuid():N}@example.com", null, IPAddress.Parse("192.0.2.1"), CancellationToken.None));
        Assert.Equal(RefusalKind.RateLimited, refused.Kind);

        time.Advance(TimeSpan.FromHours(1));
        await signups.SignUpAsync($"{Guid.NewGuid():N}@example.com", null, IPAddress.Parse("192.0.2.1"), CancellationToken.None);
    }

    [Fact]
    public async Task Unconfirmed_rows_carry_their_expiry_and_links_stop_working_after_48_hours()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, time);
        var email = $"{Guid.NewGuid():N}@example.com";

        var accountId = await services.GetRequiredService<Signups>().SignUpAsync(email, "Late", Client, CancellationToken.None);

        var profile = (await services.GetRequiredService<AccountStore>().GetProfileAsync(accountId, CancellationToken.None))!;
        Assert.Equal(AccountStatus.Pending, profile.Status);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromHours(48), profile.ExpiresAt);
        var token = await LastTokenAsync(services, email);
        var confirmations = services.GetRequiredService<Confirmations>();
        Assert.Equal(ConfirmationKind.Account, (await confirmations.PreviewAsync(token, CancellationToken.None)).Kind);

        time.Advance(TimeSpan.FromHours(48));

        Assert.Equal(RefusalKind.Gone, (await Assert.ThrowsAsync<Refusal>(() => confirmations.PreviewAsync(token, CancellationToken.None))).Kind);
        Assert.Equal(RefusalKind.Gone, (await Assert.ThrowsAsync<Refusal>(() => confirmations.ConfirmAsync(token, CancellationToken.None))).Kind);

        // Signing up again sends a fresh link that works, and activation ends the expiry.
        await services.GetRequiredService<Signups>().SignUpAsync(email, null, Client, CancellationToken.None);
        await confirmations.ConfirmAsync(await LastTokenAsync(services, email), CancellationToken.None);
        var active = (await services.GetRequiredService<AccountStore>().GetProfileAsync(accountId, CancellationToken.None))!;
        Assert.Equal(AccountStatus.Active, active.Status);
        Assert.Null(active.ExpiresAt);
        Assert.Equal("Late", active.Name);
    }

    [Fact]
    public async Task Without_a_token_secret_sign_up_is_503_not_configured_and_stores_nothing()
    {
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, new FakeTimeProvider(DateTimeOffset.UtcNow), RuntimeMode.Azure, tokenSecret: null);
        var before = await Snapshot();

        var refused = await Assert.ThrowsAsync<Refusal>(() => services.GetRequiredService<Signups>().SignUpAsync("nosecret@example.com", null, Client, CancellationToken.None));

        Assert.Equal(RefusalKind.Unavailable, refused.Kind);
        Assert.Equal("not_configured", refused.Code);
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task In_azure_without_acs_sign_up_is_refused_and_nothing_goes_to_a_file()
    {
        await using var services = await CoreAccounts.StartAsync(azurite.ConnectionString, new FakeTimeProvider(DateTimeOffset.UtcNow), RuntimeMode.Azure);
        var before = await Snapshot();

        var refused = await Assert.ThrowsAsync<Refusal>(() => services.GetRequiredService<Signups>().SignUpAsync("noacs@example.com", null, Client, CancellationToken.None));

        Assert.Equal("not_configured", refused.Code);
        Assert.Contains("email is not configured", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot());
        Assert.False(File.Exists(Path.Combine(services.GetRequiredService<MonitorConfig>().DataDir, "outbox.jsonl")));
    }

    /// <summary>The token of the last link mailed to an address, from the graph's outbox file.</summary>
    private static async Task<string> LastTokenAsync(IServiceProvider services, string email)
    {
        var outbox = Path.Combine(services.GetRequiredService<MonitorConfig>().DataDir, "outbox.jsonl");
        var line = (await File.ReadAllLinesAsync(outbox)).Last(l => l.Contains(email, StringComparison.Ordinal));
        var body = (string)System.Text.Json.Nodes.JsonNode.Parse(line)!["body"]!;
        return System.Text.RegularExpressions.Regex.Match(body, @"/api/confirm/(\S+)").Groups[1].Value;
    }

    private async Task<string> Snapshot()
    {
        var rows = new List<string>();
        foreach (var table in StorageNames.Tables)
        {
            await foreach (var e in new TableClient(azurite.ConnectionString, table).QueryAsync<TableEntity>())
            {
                rows.Add($"{table} {e.PartitionKey}/{e.RowKey} {e.ETag}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return string.Join("\n", rows);
    }
}
