namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// Port and TLS mode of a mail probe (SMTP, IMAP, POP3): the implicit-TLS port implies implicit
/// TLS, and implicit TLS without a port given implies that port. Otherwise STARTTLS when offered.
/// </summary>
internal sealed record MailEndpoint(string Host, int Port, MailTls Tls)
{
    public static MailEndpoint For(ProbeTarget.HostPort target, MailTls? requested, int implicitPort)
    {
        var port = requested == MailTls.Implicit && !target.PortGiven ? implicitPort : target.Port;
        return new MailEndpoint(target.Host, port, requested ?? (port == implicitPort ? MailTls.Implicit : MailTls.Auto));
    }

    public Task<LineConversation> OpenAsync(ProbeRun run) => LineConversation.OpenAsync(run, Host, Port, Tls == MailTls.Implicit);

    /// <summary>Whether to ask for TLS now; fails when the monitor requires STARTTLS and the server does not offer it.</summary>
    public bool ShouldStartTls(bool offered, string command)
    {
        if (Tls == MailTls.Starttls && !offered)
        {
            throw new ProbeFailure(ErrorClass.Tls, $"the server does not offer {command}, which this monitor requires");
        }

        return offered && Tls is MailTls.Starttls or MailTls.Auto;
    }

    public bool MayUpgrade => Tls is MailTls.Starttls or MailTls.Auto;
}
