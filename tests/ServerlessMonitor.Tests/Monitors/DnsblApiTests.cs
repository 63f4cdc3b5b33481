using System.Net;
using System.Text.Json.Nodes;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>dnsbl monitors through the API (shared/API.md, DNS blacklists): the four target kinds, their fixed intervals, and what is refused.</summary>
public sealed class DnsblApiTests(MonitorsRuntime t) : IClassFixture<MonitorsRuntime>
{
    [Theory]
    [InlineData("192.0.2.25", "192.0.2.25", 240)]
    [InlineData("mail.example.com", "mail.example.com", 240)]
    [InlineData("Example.COM", "example.com", 240)]
    [InlineData("192.0.2.0/24", "192.0.2.0/24", 1440)]
    [InlineData("2001:db8::/120", "2001:db8::/120", 1440)]
    public async Task Each_kind_is_created_with_its_interval_shown_and_lists_kept(string target, string stored, int interval)
    {
        var (_, key) = await t.NewAccount($"dnsbl-{Guid.NewGuid():N}@example.com");
        var created = await t.Api("monitors", body: new JsonObject
        {
            ["name"] = "Mail",
            ["type"] = "dnsbl",
            ["target"] = target,
            ["expect"] = new JsonObject { ["lists"] = new JsonArray("zen.spamhaus.org", "dbl.spamhaus.org") },
        }, key: key);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var m = created.Json!;
        Assert.Equal(("dnsbl", stored, interval, 0), ((string?)m["type"], (string?)m["target"], (int)m["intervalMinutes"]!, (int)m["alertDelayMinutes"]!));
        Assert.Equal("""{"lists":["zen.spamhaus.org","dbl.spamhaus.org"]}""", m["expect"]!.ToJsonString());
        Assert.Equal(m.ToJsonString(), (await t.Api($"monitors/{(string)m["id"]!}", key: key)).Json!.ToJsonString());
    }

    [Fact]
    public async Task Another_interval_a_wide_block_or_lists_on_another_type_are_400_and_nothing_is_stored()
    {
        var (_, key) = await t.NewAccount($"dnsbl-bad-{Guid.NewGuid():N}@example.com");
        var wrongInterval = await t.Api("monitors", body: new JsonObject { ["name"] = "M", ["type"] = "dnsbl", ["target"] = "192.0.2.25", ["intervalMinutes"] = 5 }, key: key);
        Assert.Equal((HttpStatusCode.BadRequest, "validation", "intervalMinutes"), (wrongInterval.Status, wrongInterval.ErrorCode, wrongInterval.ErrorField));
        var wide = await t.Api("monitors", body: new JsonObject { ["name"] = "M", ["type"] = "dnsbl", ["target"] = "192.0.0.0/16" }, key: key);
        Assert.Equal((HttpStatusCode.BadRequest, "target"), (wide.Status, wide.ErrorField));
        var httpWithDayInterval = await t.Api("monitors", body: new JsonObject { ["name"] = "M", ["type"] = "https", ["target"] = "https://example.com/", ["intervalMinutes"] = 1440 }, key: key);
        Assert.Equal(HttpStatusCode.BadRequest, httpWithDayInterval.Status);
        Assert.Empty((await t.Api("monitors", key: key)).Json!.AsArray());
    }
}
