using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>Host names in targets (target.test.ts): IDNs become punycode, punycode stays, invalid punycode is refused.</summary>
public sealed class ProbeTargetNamesTests
{
    [Theory]
    [InlineData("mail.bücher.example", "mail.xn--bcher-kva.example")]
    [InlineData("mail.xn--bcher-kva.example", "mail.xn--bcher-kva.example")]
    [InlineData("MAIL.XN--BCHER-KVA.EXAMPLE", "mail.xn--bcher-kva.example")]
    [InlineData("xn--80ak6aa92e.example", "xn--80ak6aa92e.example")]
    [InlineData("xn--ls8h.la", "xn--ls8h.la")]
    public void Idns_are_read_as_punycode(string text, string host)
    {
        Assert.True(ProbeTarget.TryParse(ProbeType.Smtp, text, out var target, out var error), error);
        Assert.Equal(host, Assert.IsType<ProbeTarget.HostPort>(target).Host);
    }

    [Theory]
    [InlineData(ProbeType.Smtp, "mail.xn--a.example")]
    [InlineData(ProbeType.Smtp, "xn--zz.example:25")]
    [InlineData(ProbeType.Ssh, "xn--.example")]
    [InlineData(ProbeType.Https, "https://xn--a.example/")]
    [InlineData(ProbeType.Dns, "xn--abc.example")]
    public void Invalid_punycode_is_refused(ProbeType type, string text)
    {
        Assert.False(ProbeTarget.TryParse(type, text, out _, out var error));
        Assert.Contains("not a valid", error, StringComparison.Ordinal);
    }
}
