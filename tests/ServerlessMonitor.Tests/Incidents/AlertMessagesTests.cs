using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>Alert messages (port of tests/unit/incidents/messages.test.ts): what they say, and that an SMS always fits one GSM-7 segment.</summary>
public sealed class AlertMessagesTests
{
    public const string Secret = "incident-test-secret-0123456789-abcdef";
    private const string Base = "https://sm-app-weu-x7k2.azurewebsites.net";
    private const string MonitorId = "mabcdefghijklmnopqrst";
    private static readonly DateTimeOffset OpenedAt = DateTimeOffset.Parse("2026-02-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly FailureSummary Failure = new(29_500_000, OpenedAt, [
        new("westeurope", new ProbeError(ErrorClass.Timeout, "no answer within 10000 ms", "ETIMEDOUT"), null, new ProbePhases(1.25, 12.5, null, null, 10000)),
        new("eastus", new ProbeError(ErrorClass.Status, "HTTP 503"), 503, new ProbePhases(2, 30, 40, 80.44, 81)),
    ]);

    private static readonly AlertMessages Messages = new(new IncidentLinks(Config()));

    [Fact]
    public void An_email_names_the_monitor_what_failed_the_failing_regions_their_phases_and_links_to_the_incident_page()
    {
        var m = Messages.For(Content(), ChannelKind.Email, "ops@example.com");
        Assert.Equal((ChannelKind.Email, "ops@example.com", "DOWN: Shop front"), (m.Channel, m.To, m.Subject));
        Assert.Contains("Shop front (https https://shop.example.com/health) is failing since 2026-02-01T10:00:00.000Z", m.Text, StringComparison.Ordinal);
        Assert.Contains("What failed: timeout: no answer within 10000 ms (ETIMEDOUT)", m.Text, StringComparison.Ordinal);
        Assert.Contains("Failing from: westeurope, eastus", m.Text, StringComparison.Ordinal);
        Assert.Contains("phases: dns 1.3 ms, connect 12.5 ms, tls -, first byte -, total 10000 ms", m.Text, StringComparison.Ordinal);
        Assert.Contains("eastus: status: HTTP 503 (status 503)", m.Text, StringComparison.Ordinal);
        Assert.Contains("Alert 2 of at most 4", m.Text, StringComparison.Ordinal);
        Assert.Contains($"Incident: {Link()}", m.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{Link()}\">", m.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_email_html_encodes_what_people_typed()
    {
        var m = Messages.For(Content() with { Monitor = Content().Monitor with { Name = "<script>alert(1)</script> & co" } }, ChannelKind.Email, "ops@example.com");
        Assert.DoesNotContain("<script>", m.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", m.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recovery_email_says_since_when_and_links_to_the_incident()
    {
        var m = Messages.For(Content() with { Kind = AlertKind.Recovery, Sequence = null, At = OpenedAt.AddMinutes(42) }, ChannelKind.Email, "ops@example.com");
        Assert.Equal("RECOVERED: Shop front", m.Subject);
        Assert.Contains("Down since 2026-02-01T10:00:00.000Z, recovered at 2026-02-01T10:42:00.000Z", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webhook_carries_the_facts_as_json()
    {
        var m = Messages.For(Content(), ChannelKind.Webhook, "https://hooks.example.com/x");
        var body = WebhookPayload.Of(m);
        Assert.Equal("incident.failure", (string?)body["type"]);
        Assert.Equal($"{MonitorId}-29500000", (string?)body["incident"]!["id"]);
        Assert.Equal("2026-02-01T10:00:00.000Z", (string?)body["incident"]!["openedAt"]);
        Assert.Equal(Link(), (string?)body["incident"]!["url"]);
        Assert.Equal("""{"id":"mabcdefghijklmnopqrst","name":"Shop front","type":"https","target":"https://shop.example.com/health"}""", body["monitor"]!.ToJsonString());
        Assert.Equal("2026-02-01T10:02:00.000Z", (string?)body["at"]);
        Assert.Equal(2, (int?)body["sequence"]);
        Assert.Equal("timeout", (string?)body["failure"]!["regions"]![0]!["error"]!["class"]);
        Assert.Null(body["failure"]!["regions"]![0]!["phases"]!["tls"]);
        Assert.Equal("DOWN: Shop front", (string?)body["subject"]);
        Assert.StartsWith("Shop front (https", (string?)body["text"], StringComparison.Ordinal);

        var up = WebhookPayload.Of(Messages.For(Content() with { Kind = AlertKind.Recovery, Sequence = null, Failure = null }, ChannelKind.Webhook, "https://hooks.example.com/x"));
        Assert.Equal("incident.recovery", (string?)up["type"]);
        Assert.Null(up["sequence"]);
        Assert.Null(up["failure"]);
    }

    [Fact]
    public void An_sms_fits_one_gsm7_segment_and_keeps_the_link()
    {
        // The signed link takes 115 of the 160 septets with an Azure host name: the news is cut.
        var m = Messages.For(Content(), ChannelKind.Sms, "+14155550100");
        Assert.Equal($"DOWN 2/4: Shop front\ntimeout ETIMEDOUT from.\n{Link()}", m.Text);
        Assert.Equal(Gsm7.Segment, Gsm7.Length(m.Text));

        var shortBase = new AlertMessages(new IncidentLinks(Config("https://sm.example"))).For(Content(), ChannelKind.Sms, "+14155550100");
        Assert.StartsWith("DOWN 2/4: Shop front\ntimeout ETIMEDOUT from westeurope,eastus\nhttps://sm.example/api/incident-pages/", shortBase.Text, StringComparison.Ordinal);

        var up = Messages.For(Content() with { Kind = AlertKind.Recovery, At = OpenedAt.AddMinutes(42) }, ChannelKind.Sms, "+14155550100");
        Assert.Equal("UP: Shop front recovered after 42 min", up.Text.Split('\n')[0]);
    }

    [Property(MaxTest = 300)]
    public Property Any_name_any_error_any_regions_still_one_segment_in_gsm7_with_the_link()
    {
        var cases = from name in ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => s.Get)
                    from regions in Gen.Elements("westeurope", "eastus", "japaneast", "australiaeast", "a-very-long-region-name-of-forty-chars-x").ListOf()
                    from message in ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty)
                    from emoji in Gen.Elements(string.Empty, "😀", "Ünïcödé ", "\u0301", "€{}")
                    from kind in Gen.Elements(AlertKind.Failure, AlertKind.Recovery)
                    select (name: emoji + name + emoji, regions, message, kind);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var failure = new FailureSummary(1, OpenedAt, c.regions.Select(r => new RegionFailure(r, new ProbeError(ErrorClass.Protocol, c.message, "EPROTO{}"), null, Failure.Regions[0].Phases)).ToList());
            var content = Content() with { Kind = c.kind, Monitor = Content().Monitor with { Name = c.name }, Failure = failure };
            var text = Messages.For(content, ChannelKind.Sms, "+14155550100").Text;
            Assert.InRange(Gsm7.Length(text) ?? int.MaxValue, 1, Gsm7.Segment);
            Assert.EndsWith($"\n{Link()}", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Gsm7_counts_extension_characters_twice_refuses_what_needs_ucs2_and_folds_user_text()
    {
        Assert.Equal(3, Gsm7.Length("abc"));
        Assert.Equal(6, Gsm7.Length("a{b}"));
        Assert.Equal(2, Gsm7.Length("€"));
        Assert.Null(Gsm7.Length("😀"));
        Assert.Equal("Café ? Zürich  x Krak?w e", Gsm7.Fold("Café 😀 Zürich\n\tx Kraków e\u0301"));
    }

    internal static MonitorConfig Config(string publicBase = Base) => MonitorConfig.Load(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingCatalog.Storage] = "UseDevelopmentStorage=true",
            [SettingCatalog.TokenSecret] = Secret,
            [SettingCatalog.PublicBaseUrl] = publicBase,
        }).Build(),
        RuntimeMode.Local);

    private static AlertContent Content() => new(
        AlertKind.Failure,
        new AlertedMonitor(MonitorId, "Shop front", ProbeType.Https, "https://shop.example.com/health"),
        $"{MonitorId}-29500000",
        OpenedAt,
        OpenedAt.AddMinutes(2),
        2,
        Failure);

    private static string Link() => new IncidentLinks(Config()).For($"{MonitorId}-29500000", OpenedAt.AddMinutes(2));
}
