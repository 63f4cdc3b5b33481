using System.Net.Sockets;
using System.Text;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// A TCP port: the connection opens. For custom protocols, <c>expect.send</c> is written after
/// connecting and <c>expect.receive</c> must appear in what the server sends back.
/// </summary>
internal sealed class TcpProbe(ProbeTarget.HostPort target, ProbeExpect expect) : IProtocolProbe
{
    public async Task RunAsync(ProbeRun run)
    {
        var socket = await run.OpenAsync(target.Host, target.Port).ConfigureAwait(false);
        var stream = run.Own(new NetworkStream(socket, ownsSocket: true));
        run.Stage = ProbeStage.Exchange;
        if (expect.Send is { } send)
        {
            run.Activity = "sending";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(send), run.Token).ConfigureAwait(false);
        }

        if (expect.Receive is { } receive)
        {
            await TextReceiver.ReceiveAsync(run, stream, receive, "the answer").ConfigureAwait(false);
        }
    }
}
