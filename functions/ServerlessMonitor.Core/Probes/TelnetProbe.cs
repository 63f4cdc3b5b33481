using System.Net.Sockets;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// Telnet (RFC 854): the port accepts a connection; with <c>expect.banner</c>, the text the server
/// shows (its login banner) must contain it. Servers open with option negotiation and many wait
/// for answers before they show the banner, so the probe refuses every option and reads the
/// text in between.
/// </summary>
internal sealed class TelnetProbe(ProbeTarget.HostPort target, ProbeExpect expect) : IProtocolProbe
{
    public async Task RunAsync(ProbeRun run)
    {
        var socket = await run.OpenAsync(target.Host, target.Port).ConfigureAwait(false);
        var stream = run.Own(new NetworkStream(socket, ownsSocket: true));
        if (expect.Banner is not { } banner)
        {
            return;
        }

        var filter = new TelnetFilter();
        var text = await TextReceiver.ReceiveAsync(run, stream, banner, "the banner", async chunk =>
        {
            var (bytes, reply) = filter.Feed(chunk.Span);
            if (reply.Length > 0)
            {
                await stream.WriteAsync(reply, run.Token).ConfigureAwait(false);
            }

            return bytes;
        }).ConfigureAwait(false);
        run.Server = Excerpt.Of(text, 200);
    }
}
