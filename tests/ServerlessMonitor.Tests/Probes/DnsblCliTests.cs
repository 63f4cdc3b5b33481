using System.Text.Json;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>`sm probe --type dnsbl &lt;target&gt;` as a person runs it, its lists served by a loopback DNS server named in the environment.</summary>
public sealed class DnsblCliTests : IAsyncLifetime
{
    private DnsTestServer _dns = null!;

    public Task InitializeAsync()
    {
        _dns = new DnsTestServer(new Dictionary<string, object>
        {
            ["1.2.0.192.zen.spamhaus.org"] = new[] { DnsRecord.A("127.0.0.2"), DnsRecord.Txt("Listed by SBL") },
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private Task<CliProcess.Run> Sm(params string[] arguments) =>
        CliProcess.RunAsync(["probe", "--type", "dnsbl", .. arguments], new Dictionary<string, string>
        {
            ["SM_DNSBL_RESOLVER"] = $"127.0.0.1:{_dns.Endpoint.Port}",
            ["SM_DNSBL_LISTS"] = "zen.spamhaus.org,bl.spamcop.net",
        });

    [Fact]
    public async Task A_listed_address_prints_each_lists_answer_and_exits_2()
    {
        var run = await Sm("192.0.2.1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("zen.spamhaus.org 192.0.2.1: LISTED 127.0.0.2 (SBL: Spamhaus Block List", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"Listed by SBL\" delist: https://check.spamhaus.org/", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("bl.spamcop.net 192.0.2.1: not listed", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_block_exits_0_and_json_has_the_listings_with_listed_always_present()
    {
        var run = await Sm("192.0.2.8/30", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var listings = json.RootElement.GetProperty("listings").EnumerateArray().ToList();
        Assert.Equal(2, listings.Count);
        Assert.All(listings, l => Assert.False(l.GetProperty("listed").GetBoolean()));
        Assert.All(listings, l => Assert.False(l.TryGetProperty("address", out _)));
    }

    [Fact]
    public async Task A_bad_setting_or_target_is_a_usage_error()
    {
        Assert.Equal(1, (await Sm("192.0.2.0/16")).ExitCode);
        var run = await CliProcess.RunAsync(["probe", "--type", "dnsbl", "192.0.2.1"], new Dictionary<string, string> { ["SM_DNSBL_RESOLVER"] = "not-an-address" });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("SM_DNSBL_RESOLVER", run.Stderr, StringComparison.Ordinal);
    }
}
