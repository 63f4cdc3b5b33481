using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Webhooks;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>What a certificate warning says on each channel, and that its SMS always fits one GSM-7 segment.</summary>
public sealed class CertificateMessagesTests
{
    private const string Sha = "3F2A9C0B3F2A9C0B3F2A9C0B3F2A9C0B3F2A9C0B3F2A9C0B3F2A9C0B3F2A9C0B";
    private static readonly DateTimeOffset ExpiresAt = new(2026, 12, 5, 10, 11, 12, TimeSpan.Zero);
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static readonly CertificateNotice Notice = new(
        new AlertedMonitor("mabcdefghijklmnopqrst", "Shop front", ProbeType.Https, "https://shop.example.com/health"),
        new CertificateWarning(5, ExpiresAt, "CN=shop.example.com", Sha, 14),
        At);

    [Fact]
    public void An_email_names_the_monitor_its_target_the_certificate_its_expiry_and_the_days_left()
    {
        var m = CertificateMessages.For(Notice, ChannelKind.Email, "ops@example.com");

        Assert.Equal((ChannelKind.Email, "ops@example.com", "CERTIFICATE: Shop front expires in 5 days"), (m.Channel, m.To, m.Subject));
        Assert.StartsWith("The TLS certificate of Shop front expires in 5 days, on 2026-12-05.", m.Text, StringComparison.Ordinal);
        Assert.Contains("Monitor: Shop front (https https://shop.example.com/health)", m.Text, StringComparison.Ordinal);
        Assert.Contains("Certificate: CN=shop.example.com", m.Text, StringComparison.Ordinal);
        Assert.Contains("Expires: 2026-12-05T10:11:12.000Z (5 days left)", m.Text, StringComparison.Ordinal);
        Assert.Contains($"SHA-256: {Sha}", m.Text, StringComparison.Ordinal);
        Assert.Contains("<p>Certificate: CN=shop.example.com</p>", m.Html, StringComparison.Ordinal);
        Assert.Contains("<p>Expires: 2026-12-05T10:11:12.000Z (5 days left)</p>", m.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "CERTIFICATE: Shop front expires in 1 day")]
    [InlineData(0, "CERTIFICATE: Shop front expires within a day")]
    [InlineData(13, "CERTIFICATE: Shop front expires in 13 days")]
    public void The_subject_says_how_soon(int daysLeft, string subject) =>
        Assert.Equal(subject, CertificateMessages.For(Notice with { Certificate = Notice.Certificate with { DaysLeft = daysLeft } }, ChannelKind.Email, "ops@example.com").Subject);

    [Fact]
    public void The_email_html_encodes_what_people_and_certificates_say()
    {
        var m = CertificateMessages.For(
            Notice with { Monitor = Notice.Monitor with { Name = "<b>Shop</b> & co" }, Certificate = Notice.Certificate with { Subject = "CN=<script>" } },
            ChannelKind.Email,
            "ops@example.com");

        Assert.DoesNotContain("<b>", m.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", m.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Shop&lt;/b&gt; &amp; co", m.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webhook_carries_the_monitor_and_the_certificate_as_json()
    {
        var m = CertificateMessages.For(Notice, ChannelKind.Webhook, "https://hooks.example.com/x");
        var body = WebhookPayload.Of(m);

        Assert.Equal("certificate.expiring", (string?)body["type"]);
        Assert.Equal("""{"id":"mabcdefghijklmnopqrst","name":"Shop front","type":"https","target":"https://shop.example.com/health"}""", body["monitor"]!.ToJsonString());
        Assert.Equal(
            $$"""{"subject":"CN=shop.example.com","expiresAt":"2026-12-05T10:11:12.000Z","daysLeft":5,"sha256":"{{Sha}}","warningDays":14}""",
            body["certificate"]!.ToJsonString());
        Assert.Equal("2026-11-30T09:00:00.000Z", (string?)body["at"]);
        Assert.Equal("CERTIFICATE: Shop front expires in 5 days", (string?)body["subject"]);
        Assert.Equal(m.Text, (string?)body["text"]);
    }

    [Fact]
    public void An_sms_says_which_monitor_when_and_for_whom()
    {
        var m = CertificateMessages.For(Notice, ChannelKind.Sms, "+14155550100");

        Assert.Equal("CERTIFICATE: Shop front\nexpires in 5 days (2026-12-05)\nCN=shop.example.com", m.Text);
    }

    [Fact]
    public void A_long_sms_drops_the_subject_first_then_shortens_the_name()
    {
        var longSubject = Notice with { Certificate = Notice.Certificate with { Subject = "CN=" + new string('s', 150) } };
        Assert.Equal("CERTIFICATE: Shop front\nexpires in 5 days (2026-12-05)", CertificateMessages.For(longSubject, ChannelKind.Sms, "+14155550100").Text);

        var longName = longSubject with { Monitor = Notice.Monitor with { Name = new string('n', 200) } };
        var text = CertificateMessages.For(longName, ChannelKind.Sms, "+14155550100").Text;
        Assert.Equal(Gsm7.Segment, Gsm7.Length(text));
        Assert.EndsWith(".\nexpires in 5 days (2026-12-05)", text, StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public Property Any_name_any_subject_any_days_still_one_segment_in_gsm7()
    {
        var cases = from name in ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => s.Get)
                    from subject in ArbMap.Default.GeneratorFor<string>().Select(s => s ?? string.Empty)
                    from days in Gen.Choose(-5, 365)
                    from extra in Gen.Elements(string.Empty, "😀", "Ünïcödé ", "\u0301", "€{}")
                    select (name: extra + name + extra, subject: subject + extra, days);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var notice = Notice with { Monitor = Notice.Monitor with { Name = c.name }, Certificate = Notice.Certificate with { Subject = c.subject, DaysLeft = c.days } };
            var text = CertificateMessages.For(notice, ChannelKind.Sms, "+14155550100").Text;
            Assert.InRange(Gsm7.Length(text) ?? int.MaxValue, 1, Gsm7.Segment);
            Assert.StartsWith("CERTIFICATE: ", text, StringComparison.Ordinal);
            Assert.Contains("(2026-12-05)", text, StringComparison.Ordinal);
        });
    }
}
