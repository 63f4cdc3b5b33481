using System.Text.Json;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Probes;

public sealed class ProbeJsonTests
{
    [Fact]
    public void Writes_the_TypeScript_engines_field_names_with_phases_always_present()
    {
        var result = new ProbeResult
        {
            Ok = false,
            Error = new ProbeError(ErrorClass.Connect, "connection refused", "ECONNREFUSED"),
            Phases = new ProbePhases(null, null, null, null, 1.25),
            RemoteAddress = "127.0.0.1",
        };
        using var json = JsonDocument.Parse(ProbeJson.Serialize(result));
        var root = json.RootElement;
        Assert.Equal(["ok", "error", "phases", "remoteAddress"], root.EnumerateObject().Select(property => property.Name));
        Assert.Equal("connect", root.GetProperty("error").GetProperty("class").GetString());
        Assert.Equal("ECONNREFUSED", root.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(["dns", "connect", "tls", "firstByte", "total"], root.GetProperty("phases").EnumerateObject().Select(property => property.Name));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("phases").GetProperty("dns").ValueKind);
    }

    [Fact]
    public void Writes_the_certificate_its_warning_and_the_TypeScript_warning_fields()
    {
        var expires = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        var result = new ProbeResult
        {
            Ok = true,
            Phases = new ProbePhases(1, 2, 3, 4, 5),
            Status = 200,
            Certificate = new CertificateInfo("CN=example.com", "CN=Issuer", expires, 5, "AB12"),
            CertificateWarning = new CertificateWarning(5, expires, "CN=example.com", "AB12", 14),
        };
        using var json = JsonDocument.Parse(ProbeJson.Serialize(result, indented: true));
        var root = json.RootElement;
        Assert.Equal("the certificate expires in 5 days (2026-12-04)", root.GetProperty("warning").GetString());
        Assert.Equal(expires, root.GetProperty("certificateExpiresAt").GetDateTimeOffset());
        Assert.Equal("AB12", root.GetProperty("certificateWarning").GetProperty("sha256").GetString());
        Assert.Equal(5, root.GetProperty("certificate").GetProperty("daysLeft").GetInt32());
    }

    [Fact]
    public void Reads_an_expect_object_and_refuses_unknown_fields()
    {
        var expect = ProbeJson.ParseExpect("""{"status":[200,204],"keyword":"OK","tls":"starttls","recordType":"MX"}""");
        Assert.Equal([200, 204], expect.Status);
        Assert.Equal(MailTls.Starttls, expect.Tls);
        Assert.Throws<JsonException>(() => ProbeJson.ParseExpect("""{"nope":1}"""));
        Assert.Throws<JsonException>(() => ProbeJson.ParseExpect("""{"tls":"sometimes"}"""));
    }

    [Fact]
    public void Names_the_expect_fields_that_mean_nothing_to_a_type()
    {
        var expect = new ProbeExpect { Keyword = "OK", Banner = "220", Tls = MailTls.Off };
        Assert.Equal(["banner", "tls"], expect.MisplacedFields(ProbeType.Https));
        Assert.Equal(["keyword"], expect.MisplacedFields(ProbeType.Smtp));
        Assert.Equal(["keyword", "tls"], expect.MisplacedFields(ProbeType.Ssh));
        Assert.Empty(new ProbeExpect { Send = "PING", Receive = "PONG" }.MisplacedFields(ProbeType.Tcp));
    }
}
