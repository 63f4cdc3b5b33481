using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>
/// Which port and TLS mode a mail probe uses (mail-tls.test.ts): the implicit-TLS port means
/// implicit TLS, implicit TLS without a port means that port, and otherwise STARTTLS when the
/// server offers it; a required STARTTLS the server lacks fails with class tls.
/// </summary>
public sealed class MailEndpointTests
{
    [Theory]
    [InlineData(465, true, null, 465, MailTls.Implicit)]
    [InlineData(587, true, null, 587, MailTls.Auto)]
    [InlineData(25, false, null, 25, MailTls.Auto)]
    [InlineData(25, false, MailTls.Implicit, 465, MailTls.Implicit)]
    [InlineData(2525, true, MailTls.Implicit, 2525, MailTls.Implicit)]
    [InlineData(465, true, MailTls.Off, 465, MailTls.Off)]
    [InlineData(25, false, MailTls.Starttls, 25, MailTls.Starttls)]
    public void The_implicit_port_means_implicit_TLS_and_implicit_TLS_without_a_port_means_that_port(int port, bool portGiven, MailTls? requested, int expectedPort, MailTls expectedTls)
    {
        var endpoint = MailEndpoint.For(new ProbeTarget.HostPort("mail.example.com", port, portGiven), requested, 465);

        Assert.Equal(new MailEndpoint("mail.example.com", expectedPort, expectedTls), endpoint);
    }

    [Theory]
    [InlineData(MailTls.Auto, true, true)]
    [InlineData(MailTls.Auto, false, false)]
    [InlineData(MailTls.Starttls, true, true)]
    [InlineData(MailTls.Off, true, false)]
    [InlineData(MailTls.Off, false, false)]
    [InlineData(MailTls.Implicit, true, false)]
    public void Upgrades_when_offered_in_auto_and_starttls_modes_never_otherwise(MailTls tls, bool offered, bool upgrades) =>
        Assert.Equal(upgrades, new MailEndpoint("mail.example.com", 25, tls).ShouldStartTls(offered, "STARTTLS"));

    [Fact]
    public void A_required_STARTTLS_the_server_does_not_offer_fails_with_class_tls()
    {
        var failure = Assert.Throws<ProbeFailure>(() => new MailEndpoint("mail.example.com", 25, MailTls.Starttls).ShouldStartTls(false, "STLS"));

        Assert.Equal(ErrorClass.Tls, failure.Class);
        Assert.Contains("STLS", failure.Message, StringComparison.Ordinal);
    }
}
