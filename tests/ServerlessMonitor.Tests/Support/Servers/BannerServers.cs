using System.Security.Cryptography.X509Certificates;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>FTP, SSH, telnet, TCP echo, silent and one-line servers for the banner probes.</summary>
public static class BannerServers
{
    public static LineServer Ftp(params string[] greeting) => new(async (server, session) =>
    {
        await session.SendAsync(greeting.Length > 0 ? greeting : ["220-Welcome to the test FTP service", "220 Test FTP server ready"]).ConfigureAwait(false);
        while (await server.ReadAsync(session).ConfigureAwait(false) is { } line)
        {
            if (line == "QUIT")
            {
                await session.SendAsync("221 Goodbye").ConfigureAwait(false);
            }
        }
    });

    public static LineServer Ssh(string identification = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", params string[] preamble) => new(async (server, session) =>
    {
        await session.SendAsync([.. preamble, identification]).ConfigureAwait(false);
        while (await server.ReadAsync(session).ConfigureAwait(false) is not null)
        {
        }
    });

    /// <summary>
    /// Asks WILL ECHO, DO TERMINAL-TYPE, WILL SUPPRESS-GO-AHEAD, waits for the nine bytes of
    /// answers, then shows the banner (if any).
    /// </summary>
    public static LineServer Telnet(string? banner = null, bool closeAfterBanner = false) => new(async (server, session) =>
    {
        await session.SendBytesAsync([255, 251, 1, 255, 253, 24, 255, 251, 3]).ConfigureAwait(false);
        if (banner is null)
        {
            return;
        }

        var answered = 0;
        while (answered < 9)
        {
            var bytes = await session.ReadBytesAsync().ConfigureAwait(false);
            if (bytes.Length == 0)
            {
                return;
            }

            foreach (var value in bytes)
            {
                server.Bytes.Enqueue(value);
            }

            answered += bytes.Length;
        }

        await session.SendAsync(banner, "login: ").ConfigureAwait(false);
        if (closeAfterBanner)
        {
            throw new IOException("closing after the banner, as asked");
        }
    });

    /// <summary>Answers every chunk with "echo: &lt;chunk&gt;".</summary>
    public static LineServer Echo() => new(async (_, session) =>
    {
        while (await session.ReadBytesAsync().ConfigureAwait(false) is { Length: > 0 } bytes)
        {
            await session.SendBytesAsync([.. "echo: "u8.ToArray(), .. bytes]).ConfigureAwait(false);
        }
    });

    /// <summary>Accepts and never says a word.</summary>
    public static LineServer Silent() => new((_, _) => Task.CompletedTask);

    /// <summary>Says one line and closes.</summary>
    public static LineServer OneLiner(string line) => new(async (_, session) =>
    {
        await session.SendAsync(line).ConfigureAwait(false);
        throw new IOException("closing after one line, as asked");
    });

    /// <summary>Completes a TLS handshake first (implicit TLS) when given a certificate.</summary>
    internal static async Task ImplicitTlsAsync(LineServer server, LineSession session, X509Certificate2? certificate)
    {
        if (certificate is not null)
        {
            await session.StartTlsAsync(certificate).ConfigureAwait(false);
            server.CountSecureSession();
        }
    }
}
