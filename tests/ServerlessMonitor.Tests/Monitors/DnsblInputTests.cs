using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>dnsbl monitors as the API reads them: targets of four kinds, intervals fixed by kind, alert delay 0, lists.</summary>
public sealed class DnsblInputTests
{
    private static readonly string[] Regions = ["eastus", "westeurope"];

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1", 240)]
    [InlineData("2001:DB8:0::1", "2001:db8::1", 240)]
    [InlineData("Mail.Example.com.", "mail.example.com", 240)]
    [InlineData("example.com", "example.com", 240)]
    [InlineData("192.0.2.77/24", "192.0.2.0/24", 1440)]
    [InlineData("192.0.2.9/32", "192.0.2.9/32", 1440)]
    [InlineData("2001:db8::1:ff/120", "2001:db8::1:0/120", 1440)]
    public void Each_kind_of_target_gets_its_fixed_interval_when_none_is_given(string target, string stored, int interval)
    {
        var d = Create(new JsonObject { ["name"] = "Mail", ["type"] = "dnsbl", ["target"] = target });
        Assert.Equal((ProbeType.Dnsbl, stored, interval), (d.Type, d.Target, d.IntervalMinutes));
        Assert.Equal(0, d.AlertDelayMinutes);
    }

    [Theory]
    [InlineData("192.0.2.1", 240, true)]
    [InlineData("192.0.2.1", 1440, false)]
    [InlineData("192.0.2.1", 5, false)]
    [InlineData("192.0.2.0/24", 1440, true)]
    [InlineData("192.0.2.0/24", 240, false)]
    [InlineData("example.com", 20, false)]
    public void Only_the_kinds_interval_is_accepted(string target, int interval, bool accepted)
    {
        var body = new JsonObject { ["name"] = "Mail", ["type"] = "dnsbl", ["target"] = target, ["intervalMinutes"] = interval };
        if (accepted)
        {
            Assert.Equal(interval, Create(body).IntervalMinutes);
        }
        else
        {
            Assert.Equal("intervalMinutes", Assert.Throws<Refusal>(() => Create(body)).Field);
        }
    }

    [Fact]
    public void The_uptime_types_do_not_accept_the_dnsbl_intervals()
    {
        var body = new JsonObject { ["name"] = "Web", ["type"] = "https", ["target"] = "https://example.com/", ["intervalMinutes"] = 240 };
        Assert.Equal("intervalMinutes", Assert.Throws<Refusal>(() => Create(body)).Field);
    }

    [Theory]
    [InlineData("192.0.2.0/23")]
    [InlineData("2001:db8::/119")]
    [InlineData("192.0.2.0/40")]
    [InlineData("not a target")]
    public void Blocks_over_256_addresses_and_non_targets_are_refused(string target) =>
        Assert.Equal("target", Assert.Throws<Refusal>(() => Create(new JsonObject { ["name"] = "M", ["type"] = "dnsbl", ["target"] = target })).Field);

    [Fact]
    public void Lists_are_zones_lower_cased_without_repeats_and_only_for_dnsbl()
    {
        var d = Create(new JsonObject { ["name"] = "M", ["type"] = "dnsbl", ["target"] = "192.0.2.1", ["expect"] = new JsonObject { ["lists"] = new JsonArray("ZEN.spamhaus.org", "zen.spamhaus.org", "bl.spamcop.net") } });
        Assert.Equal(["zen.spamhaus.org", "bl.spamcop.net"], d.Expect.Lists);

        Assert.Equal("expect.lists.0", Assert.Throws<Refusal>(() => Create(new JsonObject { ["name"] = "M", ["type"] = "dnsbl", ["target"] = "192.0.2.1", ["expect"] = new JsonObject { ["lists"] = new JsonArray("127.0.0.1") } })).Field);
        Assert.Equal("expect.lists", Assert.Throws<Refusal>(() => Create(new JsonObject { ["name"] = "M", ["type"] = "dnsbl", ["target"] = "192.0.2.1", ["expect"] = new JsonObject { ["lists"] = new JsonArray() } })).Field);
        Assert.Equal("expect", Assert.Throws<Refusal>(() => Create(new JsonObject { ["name"] = "M", ["type"] = "dns", ["target"] = "example.com", ["intervalMinutes"] = 5, ["expect"] = new JsonObject { ["lists"] = new JsonArray("zen.spamhaus.org") } })).Field);
    }

    [Fact]
    public void A_patch_to_a_block_moves_the_interval_to_a_day_and_leaving_dnsbl_needs_an_interval()
    {
        var current = Create(new JsonObject { ["name"] = "M", ["type"] = "dnsbl", ["target"] = "192.0.2.1", ["alertDelayMinutes"] = 5 });
        var block = MonitorInput.ParsePatch(current, Json(new JsonObject { ["target"] = "192.0.2.0/24" }), Regions).Definition;
        Assert.Equal((1440, 5), (block.IntervalMinutes, block.AlertDelayMinutes));

        Assert.Equal("intervalMinutes", Assert.Throws<Refusal>(() => MonitorInput.ParsePatch(current, Json(new JsonObject { ["type"] = "ping", ["target"] = "example.com" }), Regions)).Field);
        var ping = MonitorInput.ParsePatch(current, Json(new JsonObject { ["type"] = "ping", ["target"] = "example.com", ["intervalMinutes"] = 5 }), Regions).Definition;
        Assert.Equal((5, MonitorLimits.DefaultAlertDelayMinutes), (ping.IntervalMinutes, ping.AlertDelayMinutes));
    }

    private static JsonElement Json(JsonObject body) => JsonDocument.Parse(body.ToJsonString()).RootElement.Clone();

    private static MonitorDefinition Create(JsonObject body) => MonitorInput.ParseCreate(Json(body), Regions).Definition;
}
