using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>
/// The dnsbl probe against a loopback DNS server that serves test blacklist zones: every target
/// kind, listed and clean, every return-code path (named codes, bitmasks, refusal answers,
/// SERVFAIL, REFUSED, silence, answers outside 127/8), TXT reasons and the DQS key.
/// </summary>
public sealed class DnsblProbeTests : IAsyncLifetime
{
    private const string Zen = "zen.spamhaus.org";
    private const string SpamCop = "bl.spamcop.net";
    private const string Dbl = "dbl.spamhaus.org";
    private const string Surbl = "multi.surbl.org";

    private DnsTestServer _dns = null!;

    public Task InitializeAsync()
    {
        _dns = new DnsTestServer(new Dictionary<string, object>
        {
            // 192.0.2.1: on the SBL, with a reason; clean on SpamCop (no entry: NXDOMAIN).
            [$"1.2.0.192.{Zen}"] = new[] { DnsRecord.A("127.0.0.2"), DnsRecord.Txt("Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL1") },
            // 192.0.2.2: XBL and PBL at once, no TXT.
            [$"2.2.0.192.{Zen}"] = new[] { DnsRecord.A("127.0.0.4"), DnsRecord.A("127.0.0.10") },
            // 192.0.2.3: Spamhaus refuses the query (public resolver); SpamCop fails.
            [$"3.2.0.192.{Zen}"] = new[] { DnsRecord.A("127.255.255.254") },
            [$"3.2.0.192.{SpamCop}"] = DnsTestServer.ServFail,
            // 192.0.2.4: Spamhaus over quota, SpamCop refuses.
            [$"4.2.0.192.{Zen}"] = new[] { DnsRecord.A("127.255.255.255") },
            [$"4.2.0.192.{SpamCop}"] = DnsTestServer.Refused,
            // 192.0.2.5: Spamhaus silent, SpamCop answers with a rewritten (advertising) address.
            [$"5.2.0.192.{Zen}"] = DnsTestServer.Drop,
            [$"5.2.0.192.{SpamCop}"] = new[] { DnsRecord.A("198.51.100.80") },
            // 192.0.2.6: on SpamCop with a code it does not name.
            [$"6.2.0.192.{SpamCop}"] = new[] { DnsRecord.A("127.0.0.3") },
            // 2001:db8::1 on the XBL.
            [$"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.{Zen}"] = new[] { DnsRecord.A("127.0.0.4"), DnsRecord.Txt("exploited host") },
            // bad.test: a spam domain on the DBL, malware and phishing on SURBL, its MX host's address on the SBL.
            ["bad.test"] = new[] { DnsRecord.Mx(10, "mx.bad.test") },
            ["mx.bad.test"] = new[] { DnsRecord.A("192.0.2.1") },
            [$"bad.test.{Dbl}"] = new[] { DnsRecord.A("127.0.1.2"), DnsRecord.Txt("https://check.spamhaus.org/") },
            [$"bad.test.{Surbl}"] = new[] { DnsRecord.A("127.0.0.24") },
            // good.test: an address and an MX host, neither listed; SURBL refuses it (127.0.0.1).
            ["good.test"] = new[] { DnsRecord.A("192.0.2.200"), DnsRecord.Mx(10, "mx.good.test") },
            ["mx.good.test"] = new[] { DnsRecord.Aaaa("2001:db8::200") },
            [$"good.test.{Surbl}"] = new[] { DnsRecord.A("127.0.0.1") },
            ["broken.test"] = DnsTestServer.ServFail,
            // dangling.test: its second MX host does not exist; its address and first MX host are clean.
            ["dangling.test"] = new[] { DnsRecord.A("192.0.2.99"), DnsRecord.Mx(10, "mx.good.test"), DnsRecord.Mx(20, "nowhere.test") },
            // The DQS form of 192.0.2.200 on ZEN: listed there, so a check that used the public zone would pass.
            [$"200.2.0.192.testkey.zen.dq.spamhaus.net"] = new[] { DnsRecord.A("127.0.0.3") },
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private Task<ProbeResult> Check(string target, string[]? lists = null, string? dqsKey = null, int timeoutMs = 8000) =>
        ProbeAsync(
            ProbeType.Dnsbl,
            target,
            lists is null ? null : new ProbeExpect { Lists = lists },
            timeoutMs,
            Private with
            {
                Dnsbl = new DnsblOptions
                {
                    Lists = [Zen, SpamCop, Dbl, Surbl],
                    Resolver = _dns.Endpoint,
                    SpamhausDqsKey = dqsKey,
                    Pacer = new DnsblPacer(1000, TimeProvider.System),
                },
            },
            _dns.Endpoint);

    private static DnsblListing On(ProbeResult result, string list, string? address = null) =>
        Assert.Single(result.Listings!, l => l.List == list && l.Address == address);

    [Fact]
    public async Task A_listed_address_fails_naming_the_list_the_code_its_meaning_the_txt_reason_and_the_delisting_page()
    {
        var result = await Check("192.0.2.1");

        AssertFailed(result, ErrorClass.Content, DnsblOutcome.ListedCode);
        var zen = On(result, Zen, "192.0.2.1");
        Assert.True(zen.Listed);
        Assert.Equal("127.0.0.2", zen.Code);
        Assert.StartsWith("SBL:", zen.Meaning, StringComparison.Ordinal);
        Assert.Equal("Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL1", zen.Reason);
        Assert.Equal("https://check.spamhaus.org/", zen.DelistUrl);
        Assert.False(On(result, SpamCop, "192.0.2.1").Listed);
        Assert.Equal(2, result.Listings!.Count); // domain lists do not apply to an address
        Assert.Contains("192.0.2.1 is listed on zen.spamhaus.org: 127.0.0.2 (SBL:", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("\"Listed by SBL", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("delist: https://check.spamhaus.org/", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"1.2.0.192.{Zen} A", _dns.Queries);
        Assert.Contains($"1.2.0.192.{Zen} TXT", _dns.Queries);
        Assert.DoesNotContain($"1.2.0.192.{SpamCop} TXT", _dns.Queries);
    }

    [Fact]
    public async Task Several_codes_of_one_list_are_all_named()
    {
        var zen = On(await Check("192.0.2.2"), Zen, "192.0.2.2");
        Assert.True(zen.Listed);
        Assert.Equal("127.0.0.4, 127.0.0.10", zen.Code);
        Assert.Contains("XBL", zen.Meaning, StringComparison.Ordinal);
        Assert.Contains("PBL", zen.Meaning, StringComparison.Ordinal);
        Assert.Null(zen.Reason);
    }

    [Fact]
    public async Task An_unnamed_code_is_still_a_listing()
    {
        var result = await Check("192.0.2.6");
        AssertFailed(result, ErrorClass.Content, DnsblOutcome.ListedCode);
        var spamCop = On(result, SpamCop, "192.0.2.6");
        Assert.True(spamCop.Listed);
        Assert.Equal("127.0.0.3", spamCop.Code);
        Assert.Null(spamCop.Meaning);
    }

    [Fact]
    public async Task A_clean_address_passes_with_every_list_answering_not_listed()
    {
        var result = await Check("192.0.2.99");
        AssertOk(result);
        Assert.All(result.Listings!, l => Assert.False(l.Listed));
        Assert.Equal([SpamCop, Zen], result.Listings!.Select(l => l.List).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Refusal_codes_and_servfail_are_could_not_check_and_a_check_of_nothing_else_learns_nothing()
    {
        var result = await Check("192.0.2.3");
        AssertFailed(result, ErrorClass.Dns, DnsblOutcome.UncheckedCode);
        Assert.True(DnsblOutcome.IsNoInformation(result.Error));
        Assert.Null(On(result, Zen, "192.0.2.3").Listed);
        Assert.Contains("127.255.255.254", On(result, Zen, "192.0.2.3").Meaning, StringComparison.Ordinal);
        Assert.Null(On(result, SpamCop, "192.0.2.3").Listed);
        Assert.Contains("SERVFAIL", On(result, SpamCop, "192.0.2.3").Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_quota_and_refused_are_could_not_check()
    {
        var result = await Check("192.0.2.4");
        AssertFailed(result, ErrorClass.Dns, DnsblOutcome.UncheckedCode);
        Assert.Contains("too many queries", On(result, Zen, "192.0.2.4").Meaning, StringComparison.Ordinal);
        Assert.Contains("refused", On(result, SpamCop, "192.0.2.4").Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silence_and_answers_outside_127_8_are_could_not_check_never_listed()
    {
        var result = await Check("192.0.2.5", timeoutMs: 15000);
        AssertFailed(result, ErrorClass.Dns, DnsblOutcome.UncheckedCode);
        Assert.Null(On(result, Zen, "192.0.2.5").Listed);
        Assert.Null(On(result, SpamCop, "192.0.2.5").Listed);
        Assert.Contains("198.51.100.80", On(result, SpamCop, "192.0.2.5").Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_list_unchecked_and_the_others_clean_is_a_pass()
    {
        // SURBL refuses good.test (127.0.0.1); the DBL and the IP lists answer clean.
        var result = await Check("good.test");
        AssertOk(result);
        Assert.Null(On(result, Surbl).Listed);
        Assert.False(On(result, Dbl).Listed);
        Assert.False(On(result, Zen, "192.0.2.200").Listed);
        Assert.False(On(result, Zen, "2001:db8::200").Listed);
    }

    [Fact]
    public async Task An_IPv6_address_is_asked_as_32_reversed_nibbles()
    {
        var result = await Check("2001:db8::1");
        AssertFailed(result, ErrorClass.Content, DnsblOutcome.ListedCode);
        var zen = On(result, Zen, "2001:db8::1");
        Assert.Equal("127.0.0.4", zen.Code);
        Assert.Equal("exploited host", zen.Reason);
    }

    [Fact]
    public async Task A_domain_is_asked_of_domain_lists_as_it_is_and_its_mx_hosts_addresses_of_ip_lists()
    {
        var result = await Check("bad.test");
        AssertFailed(result, ErrorClass.Content, DnsblOutcome.ListedCode);
        var dbl = On(result, Dbl);
        Assert.Equal("127.0.1.2", dbl.Code);
        Assert.Equal("DBL: spam domain", dbl.Meaning);
        var surbl = On(result, Surbl);
        Assert.Equal("127.0.0.24", surbl.Code);
        Assert.Equal("SURBL PH: phishing, SURBL MW: malware", surbl.Meaning);
        Assert.True(On(result, Zen, "192.0.2.1").Listed);
        Assert.Contains($"bad.test.{Dbl} A", _dns.Queries);
        Assert.Contains("mx.bad.test A", _dns.Queries);
    }

    [Fact]
    public async Task An_mx_host_that_does_not_exist_is_skipped_not_a_failure()
    {
        var result = await Check("dangling.test", lists: [Zen]);
        AssertOk(result);
        Assert.Equal(["192.0.2.99", "2001:db8::200"], result.Listings!.Select(l => l.Address));
        Assert.Contains("nowhere.test A", _dns.Queries);
    }

    [Fact]
    public async Task A_name_that_does_not_exist_fails_and_one_whose_resolver_fails_learns_nothing()
    {
        AssertFailed(await Check("missing.test"), ErrorClass.Dns, "ENOTFOUND");
        var broken = await Check("broken.test");
        AssertFailed(broken, ErrorClass.Dns, DnsblOutcome.UncheckedCode);
    }

    [Fact]
    public async Task A_block_asks_about_every_address_and_keeps_the_listed_ones_and_one_entry_per_list_for_the_rest()
    {
        var result = await Check("192.0.2.0/29", lists: [Zen]);
        AssertFailed(result, ErrorClass.Content, DnsblOutcome.ListedCode);
        // Each address once (192.0.2.5 is silent, so its query is tried twice).
        Assert.Equal(8, _dns.Queries.Where(q => q.EndsWith($".2.0.192.{Zen} A", StringComparison.Ordinal)).Distinct().Count());
        Assert.True(On(result, Zen, "192.0.2.1").Listed);
        Assert.True(On(result, Zen, "192.0.2.2").Listed);
        Assert.Null(On(result, Zen, "192.0.2.3").Listed);
        Assert.Null(On(result, Zen, "192.0.2.4").Listed);
        Assert.Null(On(result, Zen, "192.0.2.5").Listed);
        var rest = On(result, Zen);
        Assert.False(rest.Listed);
        Assert.Equal("3 address(es) of the block not listed", rest.Meaning);
        Assert.Equal(true, result.Listings![0].Listed);
    }

    [Fact]
    public async Task Per_monitor_lists_replace_the_deployments()
    {
        var result = await Check("192.0.2.1", lists: [SpamCop]);
        AssertOk(result);
        Assert.Single(result.Listings!);
        Assert.DoesNotContain(_dns.Queries, q => q.Contains(Zen, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_dqs_key_the_spamhaus_zones_are_asked_through_the_data_query_service_and_reported_by_their_public_name()
    {
        var result = await Check("192.0.2.200", lists: [Zen], dqsKey: "testkey");
        AssertFailed(result, ErrorClass.Content, DnsblOutcome.ListedCode);
        Assert.Equal(Zen, Assert.Single(result.Listings!).List);
        Assert.DoesNotContain("testkey", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains($"200.2.0.192.testkey.zen.dq.spamhaus.net A", _dns.Queries);
    }

    [Fact]
    public async Task An_address_given_only_domain_lists_is_refused_as_a_bad_configuration()
    {
        AssertFailed(await Check("192.0.2.1", lists: [Dbl]), ErrorClass.Protocol);
    }
}
