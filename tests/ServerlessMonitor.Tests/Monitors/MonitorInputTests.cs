using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>Reading create and patch requests: defaults, limits, normal forms, strictness and the dotted path of the first problem (tests/unit/monitors/model.test.ts, ported).</summary>
public sealed class MonitorInputTests
{
    private static readonly string[] Regions = ["eastus", "westeurope"];

    private static readonly string C1 = "c" + new string('a', 20);
    private static readonly string C2 = "c" + new string('b', 20);

    [Fact]
    public void A_create_fills_defaults_and_stores_one_spelling_of_the_target()
    {
        var d = Create(Base(("target", "https://EXAMPLE.com/x#top")));

        Assert.Equal(new MonitorDefinition("Web", ProbeType.Https, "https://example.com/x", 5, 10, d.Expect, 2, null, 15, 1, false, null, false), d);
        Assert.Equal(ProbeExpect.None, d.Expect);
    }

    [Fact]
    public void Only_the_five_intervals_are_accepted()
    {
        Prop.ForAll(Gen.Choose(-5, 100).ToArbitrary(), n =>
        {
            var accepted = TryCreate(Base(("intervalMinutes", n))) is null;
            Assert.Equal(MonitorLimits.Intervals.Contains(n), accepted);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Escalation_steps_are_sorted_by_time_and_repeated_channels_dropped()
    {
        var d = Create(Base(("escalation", new JsonArray(Step(30, C2), Step(0, C1, C1)))));

        Assert.Equal([0, 30], d.Escalation!.Select(s => s.AfterMinutes));
        Assert.Equal([C1], d.Escalation![0].Channels);
        Assert.Equal([C2], d.Escalation![1].Channels);
    }

    [Fact]
    public void A_patch_is_validated_against_the_whole_monitor()
    {
        var current = Create(Base(("expect", new JsonObject { ["keyword"] = "OK" }), ("regions", new JsonArray("eastus"))));

        var retype = Refused(() => MonitorInput.ParsePatch(current, Json(("type", "ssh")), Regions));
        Assert.Equal("target", retype.Field);

        var retyped = MonitorInput.ParsePatch(current, Json(("type", "ssh"), ("target", "example.com")), Regions).Definition;
        Assert.Equal((ProbeType.Ssh, "example.com", ProbeExpect.None), (retyped.Type, retyped.Target, retyped.Expect));

        var reset = MonitorInput.ParsePatch(current, Json(("regions", null), ("expect", null), ("escalation", null)), Regions).Definition;
        Assert.Null(reset.Regions);
        Assert.Null(reset.Escalation);
        Assert.Equal(ProbeExpect.None, reset.Expect);

        var renamed = MonitorInput.ParsePatch(current, Json(("name", "  New name ")), Regions);
        Assert.Equal(current with { Name = "New name" }, renamed.Definition);
        Assert.True(renamed.Names("name"));
        Assert.False(renamed.Names("target"));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("type")]
    [InlineData("target")]
    [InlineData("intervalMinutes")]
    [InlineData("timeoutSeconds")]
    [InlineData("public")]
    [InlineData("paused")]
    public void Only_expect_escalation_and_regions_accept_null_in_a_patch(string field)
    {
        var current = Create(Base());

        Assert.Equal(field, Refused(() => MonitorInput.ParsePatch(current, Json((field, null)), Regions)).Field);
    }

    [Theory]
    [InlineData("timeoutSeconds", 0, 1, 30, 31)]
    [InlineData("alertDelayMinutes", -1, 0, 60, 61)]
    [InlineData("repeatMinutes", 0, 1, 1440, 1441)]
    [InlineData("recoveryPasses", 0, 1, 10, 11)]
    public void Numbers_are_whole_and_within_their_limits(string field, int below, int min, int max, int above)
    {
        Assert.Equal(field, TryCreate(Base((field, below)))?.Field);
        Assert.Null(TryCreate(Base((field, min))));
        Assert.Null(TryCreate(Base((field, max))));
        Assert.Equal(field, TryCreate(Base((field, above)))?.Field);
        Assert.Equal(field, TryCreate(Base((field, 2.5)))?.Field);
        Assert.Equal(field, TryCreate(Base((field, "5")))?.Field);
        Assert.Null(TryCreate(Base((field, (double)min))));
    }

    [Fact]
    public void Paused_public_and_regions_can_be_set_at_create_and_regions_must_be_the_deployments()
    {
        var d = Create(Base(("paused", true), ("public", true), ("regions", new JsonArray("westeurope", "eastus", "westeurope"))));
        Assert.True(d.Paused);
        Assert.True(d.Public);
        Assert.Equal(["westeurope", "eastus"], d.Regions);

        var unknown = TryCreate(Base(("regions", new JsonArray("eastus", "mars"))))!;
        Assert.Equal("regions.1", unknown.Field);
        Assert.Equal("regions", TryCreate(Base(("regions", new JsonArray())))!.Field);
        Assert.Equal("regions", TryCreate(Base(("regions", new JsonArray(Enumerable.Range(0, 21).Select(_ => (JsonNode?)"eastus").ToArray()))))!.Field);
    }

    [Fact]
    public void Unknown_fields_are_refused_by_name_without_a_field()
    {
        var refused = TryCreate(Base(("colour", "red"), ("size", 2)))!;

        Assert.Equal("unknown fields: colour, size", refused.Message);
        Assert.Null(refused.Field);
        Assert.Equal("unknown field: x", TryCreate(Base(("x", 1)))!.Message);
    }

    [Fact]
    public void The_first_problem_is_named_by_its_dotted_path()
    {
        Assert.Equal("expect.status.0", TryCreate(Base(("expect", new JsonObject { ["status"] = new JsonArray(99) })))!.Field);
        Assert.Equal("escalation.0.channels.1", TryCreate(Base(("escalation", new JsonArray(Step(0, C1, "nope")))))!.Field);
        Assert.Equal("escalation.1.afterMinutes", TryCreate(Base(("escalation", new JsonArray(Step(0, C1), Step(1441, C2)))))!.Field);
        Assert.Equal("escalation.0", TryCreate(Base(("escalation", new JsonArray(new JsonObject { ["afterMinutes"] = 0, ["channels"] = new JsonArray(C1), ["x"] = 1 }))))!.Field);
        Assert.Equal("escalation.0.channels", TryCreate(Base(("escalation", new JsonArray(Step(0)))))!.Field);
        Assert.Equal("escalation", TryCreate(Base(("escalation", new JsonArray())))!.Field);
        Assert.Equal("escalation", TryCreate(Base(("escalation", new JsonArray(Enumerable.Range(0, 11).Select(i => (JsonNode?)Step(i, C1)).ToArray()))))!.Field);
        Assert.Equal("name", TryCreate(Base(("name", "a\nb")))!.Field);
        Assert.Equal("name", TryCreate(Base(("name", new string('n', 101))))!.Field);
        Assert.Equal("type", TryCreate(Base(("type", "gopher")))!.Field);
        Assert.Equal("target", TryCreate(Base(("target", null)))!.Field);
    }

    [Fact]
    public void Expect_is_strict_per_type()
    {
        Assert.Null(TryCreate(Base(("expect", new JsonObject { ["status"] = new JsonArray(200, 204), ["keyword"] = "OK", ["absent"] = "error", ["maxRedirects"] = 0, ["certificateWarningDays"] = 30 }))));
        var misplaced = TryCreate(Base(("type", "tcp"), ("target", "db.example.com:5432"), ("expect", new JsonObject { ["keyword"] = "OK" })))!;
        Assert.Equal(("unknown field for tcp: keyword", "expect"), (misplaced.Message, misplaced.Field));
        Assert.Equal("unknown field for https: nope", TryCreate(Base(("expect", new JsonObject { ["nope"] = 1 })))!.Message);
        Assert.Equal("expect", TryCreate(Base(("type", "ping"), ("target", "example.com"), ("expect", new JsonObject { ["banner"] = "x" })))!.Field);
        Assert.Equal("expect.maxRedirects", TryCreate(Base(("expect", new JsonObject { ["maxRedirects"] = 11 })))!.Field);
        Assert.Equal("expect", TryCreate(Base(("expect", new JsonArray())))!.Field);
        Assert.Equal("expect", TryCreate(Base(("expect", null)))!.Field);

        var mail = Create(Base(("type", "smtp"), ("target", "mail.example.com"), ("expect", new JsonObject { ["banner"] = "ESMTP", ["tls"] = "starttls" })));
        Assert.Equal(MailTls.Starttls, mail.Expect.Tls);
        Assert.Equal("expect.tls", TryCreate(Base(("type", "smtp"), ("target", "mail.example.com"), ("expect", new JsonObject { ["tls"] = "sometimes" })))!.Field);

        var dns = Create(Base(("type", "dns"), ("target", "example.com"), ("expect", new JsonObject { ["recordType"] = "MX", ["server"] = "9.9.9.9:5353", ["value"] = "mail" })));
        Assert.Equal(("MX", "9.9.9.9:5353"), (dns.Expect.RecordType, dns.Expect.Server));
        Assert.Equal("expect.server", TryCreate(Base(("type", "dns"), ("target", "example.com"), ("expect", new JsonObject { ["server"] = "dns.example.com" })))!.Field);
        Assert.Equal("expect.recordType", TryCreate(Base(("type", "dns"), ("target", "example.com"), ("expect", new JsonObject { ["recordType"] = "a" })))!.Field);
    }

    [Theory]
    [InlineData("http", "http://Example.com:8080/a?b=c#d", "http://example.com:8080/a?b=c")]
    [InlineData("https", "https://münchen.de/", "https://xn--mnchen-3ya.de/")]
    [InlineData("https", "https://example.com", "https://example.com/")]
    [InlineData("https", "https://example.com:443/x", "https://example.com/x")]
    [InlineData("https", "https://[2001:DB8:0::1]:8443/", "https://[2001:db8::1]:8443/")]
    [InlineData("tcp", "db.example.com:5432", "db.example.com:5432")]
    [InlineData("ssh", "[2001:DB8:0::1]:2222", "[2001:db8::1]:2222")]
    [InlineData("ssh", "2001:db8::1", "2001:db8::1")]
    [InlineData("smtp", "Mail.Example.com.", "mail.example.com")]
    [InlineData("dns", "_dmarc.example.com", "_dmarc.example.com")]
    [InlineData("ping", "192.0.2.1", "192.0.2.1")]
    [InlineData("ping", " example.com ", "example.com")]
    public void Targets_are_stored_in_one_spelling(string type, string raw, string stored)
    {
        Assert.True(ProbeTypes.TryParse(type, out var t));
        Assert.Equal(stored, MonitorTarget.Normalize(t, raw, out var error)?.Stored ?? error);
    }

    [Theory]
    [InlineData("http", "https://example.com/")]
    [InlineData("https", "https://u:p@example.com/")]
    [InlineData("https", "ftp://example.com/")]
    [InlineData("tcp", "example.com")]
    [InlineData("tcp", "example.com:0")]
    [InlineData("ssh", "[fe80::1%eth0]:22")]
    [InlineData("ftp", "999.1.1.1")]
    [InlineData("ping", "exa mple.com")]
    public void Targets_that_cannot_be_probed_are_refused(string type, string raw)
    {
        var refused = TryCreate(Base(("type", type), ("target", raw)))!;
        Assert.Equal("target", refused.Field);
    }

    [Fact]
    public void Any_json_for_expect_and_any_target_is_read_or_refused_never_an_exception()
    {
        var json = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => (JsonNode?)JsonValue.Create(s)),
            ArbMap.Default.GeneratorFor<int>().Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Elements<JsonNode?>(null, new JsonObject(), new JsonArray(1), new JsonObject { ["status"] = new JsonArray("200") }, new JsonObject { ["status"] = new JsonArray(200.5) }, new JsonObject { ["banner"] = "" }, new JsonObject { ["tls"] = "auto" }, new JsonObject { ["server"] = "[::1]:99999" }));
        var input = from type in Gen.Elements(ProbeTypes.All.ToArray())
                    from expect in json
                    from target in Gen.OneOf(ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty), Gen.Elements("example.com", "example.com:22", "https://example.com/", "http://[::1]/", "[::1]:23", "1.2.3.4"))
                    select (type, expect, target);
        Prop.ForAll(input.ToArbitrary(), i =>
        {
            var refused = TryCreate(Base(("type", i.type.Name()), ("target", i.target), ("expect", i.expect?.DeepClone())));
            if (refused is null)
            {
                Assert.NotNull(MonitorTarget.Normalize(i.type, i.target, out _));
            }
        }).QuickCheckThrowOnFailure();
    }

    private static JsonObject Step(int after, params string[] channels) =>
        new() { ["afterMinutes"] = after, ["channels"] = new JsonArray(channels.Select(c => (JsonNode?)c).ToArray()) };

    private static JsonObject Base(params (string Name, object? Value)[] changes)
    {
        var body = new JsonObject { ["name"] = "Web", ["type"] = "https", ["target"] = "https://example.com/", ["intervalMinutes"] = 5 };
        foreach (var (name, value) in changes)
        {
            body[name] = value switch
            {
                null => null,
                JsonNode node => node,
                string s => s,
                bool b => b,
                int n => n,
                double x => x,
                _ => throw new ArgumentException(name),
            };
        }

        return body;
    }

    private static JsonElement Json(params (string Name, object? Value)[] fields)
    {
        var body = Base(fields);
        foreach (var name in new[] { "name", "type", "target", "intervalMinutes" }.Where(n => !fields.Any(f => f.Name == n)))
        {
            body.Remove(name);
        }

        return Json(body);
    }

    private static JsonElement Json(JsonObject body) => JsonDocument.Parse(body.ToJsonString()).RootElement.Clone();

    private static MonitorDefinition Create(JsonObject body) => MonitorInput.ParseCreate(Json(body), Regions).Definition;

    private static Refusal? TryCreate(JsonObject body)
    {
        try
        {
            MonitorInput.ParseCreate(Json(body), Regions);
            return null;
        }
        catch (Refusal refusal)
        {
            Assert.Equal(RefusalKind.Invalid, refusal.Kind);
            Assert.Equal("validation", refusal.Code);
            return refusal;
        }
    }

    private static Refusal Refused(Action action) => Assert.Throws<Refusal>(action);
}
