using System.Security.Cryptography.X509Certificates;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>SMTP, IMAP and POP3 servers with STARTTLS (given a certificate to offer) or implicit TLS.</summary>
public static class MailServers
{
    public static LineServer Smtp(X509Certificate2? starttls = null, X509Certificate2? implicitTls = null, string greeting = "220 mail.test ESMTP Test mail service") => new(async (server, session) =>
    {
        await BannerServers.ImplicitTlsAsync(server, session, implicitTls).ConfigureAwait(false);
        await session.SendAsync(greeting).ConfigureAwait(false);
        while (await server.ReadAsync(session).ConfigureAwait(false) is { } line)
        {
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    var offer = starttls is not null && !session.Secure;
                    await session.SendAsync(offer ? ["250-mail.test", "250-PIPELINING", "250-STARTTLS", "250 8BITMIME"] : ["250-mail.test", "250-PIPELINING", "250 8BITMIME"]).ConfigureAwait(false);
                    break;
                case "STARTTLS" when starttls is not null:
                    await session.SendAsync("220 Ready to start TLS").ConfigureAwait(false);
                    await session.StartTlsAsync(starttls).ConfigureAwait(false);
                    server.CountSecureSession();
                    break;
                case "QUIT":
                    await session.SendAsync("221 Bye").ConfigureAwait(false);
                    return;
                default:
                    await session.SendAsync("502 Command not implemented").ConfigureAwait(false);
                    break;
            }
        }
    });

    public static LineServer Imap(X509Certificate2? starttls = null, X509Certificate2? implicitTls = null, string greeting = "* OK Test IMAP server ready") => new(async (server, session) =>
    {
        await BannerServers.ImplicitTlsAsync(server, session, implicitTls).ConfigureAwait(false);
        await session.SendAsync(greeting).ConfigureAwait(false);
        while (await server.ReadAsync(session).ConfigureAwait(false) is { } line)
        {
            var parts = line.Split(' ', 2);
            var tag = parts[0];
            switch (parts.Length > 1 ? parts[1].ToUpperInvariant() : "")
            {
                case "CAPABILITY":
                    var offer = starttls is not null && !session.Secure;
                    await session.SendAsync(offer ? "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED" : "* CAPABILITY IMAP4rev1", $"{tag} OK CAPABILITY completed").ConfigureAwait(false);
                    break;
                case "STARTTLS" when starttls is not null:
                    await session.SendAsync($"{tag} OK Begin TLS negotiation now").ConfigureAwait(false);
                    await session.StartTlsAsync(starttls).ConfigureAwait(false);
                    server.CountSecureSession();
                    break;
                case "LOGOUT":
                    await session.SendAsync("* BYE Logging out", $"{tag} OK LOGOUT completed").ConfigureAwait(false);
                    return;
                default:
                    await session.SendAsync($"{tag} BAD Unknown command").ConfigureAwait(false);
                    break;
            }
        }
    });

    public static LineServer Pop3(X509Certificate2? starttls = null, X509Certificate2? implicitTls = null, string greeting = "+OK Test POP3 server ready") => new(async (server, session) =>
    {
        await BannerServers.ImplicitTlsAsync(server, session, implicitTls).ConfigureAwait(false);
        await session.SendAsync(greeting).ConfigureAwait(false);
        while (await server.ReadAsync(session).ConfigureAwait(false) is { } line)
        {
            switch (line.ToUpperInvariant())
            {
                case "CAPA":
                    var offer = starttls is not null && !session.Secure;
                    await session.SendAsync(offer ? ["+OK Capability list follows", "USER", "STLS", "."] : ["+OK Capability list follows", "USER", "."]).ConfigureAwait(false);
                    break;
                case "STLS" when starttls is not null:
                    await session.SendAsync("+OK Begin TLS negotiation").ConfigureAwait(false);
                    await session.StartTlsAsync(starttls).ConfigureAwait(false);
                    server.CountSecureSession();
                    break;
                case "QUIT":
                    await session.SendAsync("+OK Bye").ConfigureAwait(false);
                    return;
                default:
                    await session.SendAsync("-ERR Unknown command").ConfigureAwait(false);
                    break;
            }
        }
    });
}
