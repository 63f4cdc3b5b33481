using System.Net;
using System.Net.Sockets;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// SMTP (RFC 5321): a 220 greeting, EHLO accepted, and — when offered (tls auto) or required
/// (tls starttls) — STARTTLS with a valid certificate and EHLO again over TLS. Port 465 (or tls
/// implicit) speaks TLS from the start (RFC 8314).
/// </summary>
internal sealed class SmtpProbe(ProbeTarget.HostPort target, ProbeExpect expect) : IProtocolProbe
{
    private const int SmtpsPort = 465;

    public async Task RunAsync(ProbeRun run)
    {
        var endpoint = MailEndpoint.For(target, expect.Tls, SmtpsPort);
        var conversation = await endpoint.OpenAsync(run).ConfigureAwait(false);
        var greeting = await conversation.ReadReplyAsync("the SMTP greeting").ConfigureAwait(false);
        run.Status = greeting.Code;
        run.Server = Excerpt.Of(greeting.Text, 200);
        if (greeting.Code != 220)
        {
            throw new ProbeFailure(ErrorClass.Status, $"the server greeted with {greeting.Code} instead of 220: {Excerpt.Of(greeting.Text)}");
        }

        Excerpt.ExpectBanner(greeting.Text, expect.Banner);
        var client = ClientName(conversation.Socket);
        var ehlo = await CommandAsync(conversation, $"EHLO {client}", "EHLO").ConfigureAwait(false);
        var offered = ehlo.Lines.Skip(1).Any(line => line.StartsWith("STARTTLS", StringComparison.OrdinalIgnoreCase));
        if (endpoint.ShouldStartTls(offered, "STARTTLS"))
        {
            await conversation.SendAsync("STARTTLS").ConfigureAwait(false);
            var ready = await conversation.ReadReplyAsync("the answer to STARTTLS").ConfigureAwait(false);
            if (ready.Code != 220)
            {
                throw new ProbeFailure(ErrorClass.Tls, $"STARTTLS was answered with {ready.Code}: {Excerpt.Of(ready.Text)}");
            }

            await conversation.UpgradeToTlsAsync(endpoint.Host).ConfigureAwait(false);
            await CommandAsync(conversation, $"EHLO {client}", "EHLO after STARTTLS").ConfigureAwait(false);
        }

        await conversation.CloseAsync("QUIT").ConfigureAwait(false);
    }

    /// <summary>EHLO needs our name; an address literal of our end is always true and reveals nothing new.</summary>
    private static string ClientName(Socket socket) => socket.LocalEndPoint switch
    {
        IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } local when !local.Address.IsIPv4MappedToIPv6 => $"[IPv6:{local.Address}]",
        IPEndPoint local => $"[{(local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address)}]",
        _ => "[127.0.0.1]",
    };

    private static async Task<Reply> CommandAsync(LineConversation conversation, string line, string name)
    {
        await conversation.SendAsync(line).ConfigureAwait(false);
        var reply = await conversation.ReadReplyAsync($"the answer to {name}").ConfigureAwait(false);
        return reply.Code == 250
            ? reply
            : throw new ProbeFailure(ErrorClass.Status, $"{name} was answered with {reply.Code}: {Excerpt.Of(reply.Text)}");
    }
}
