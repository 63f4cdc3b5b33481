using System.Net.Sockets;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Tests.Support.Servers;
using static ServerlessMonitor.Tests.Probes.ProbeHarness;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>
/// Waiting for expect.receive in a stream without lines (receive.test.ts), through the tcp probe
/// against loopback servers: text that arrives in pieces still matches, a server that closes
/// after some other text is a content mismatch at once, and one that closes without a word is a
/// protocol failure, neither waiting for the deadline.
/// </summary>
public sealed class TextReceiveTests
{
    private const int Patience = 30_000;

    [Fact]
    public async Task Text_that_arrives_in_pieces_matches_as_soon_as_it_is_whole()
    {
        var sent = new TaskCompletionSource();
        await using var server = new LoopbackServer(async (socket, ct) =>
        {
            await socket.SendAsync("PO"u8.ToArray(), ct);
            await Task.Delay(50, ct);
            await socket.SendAsync("NG and more"u8.ToArray(), ct);
            sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });

        var result = await ProbeAsync(ProbeType.Tcp, $"127.0.0.1:{server.Port}", new ProbeExpect { Receive = "PONG" }, Patience);

        AssertOk(result);
        Assert.True(sent.Task.IsCompleted);
    }

    [Fact]
    public async Task A_close_after_other_text_is_a_content_mismatch_and_a_silent_close_a_protocol_failure_both_before_the_deadline()
    {
        await using var talker = new LoopbackServer(async (socket, ct) =>
        {
            await socket.SendAsync("HELLO"u8.ToArray(), ct);
            socket.Shutdown(SocketShutdown.Both);
        });
        await using var mute = new LoopbackServer((socket, _) =>
        {
            socket.Shutdown(SocketShutdown.Both);
            return Task.CompletedTask;
        });

        var talking = await ProbeAsync(ProbeType.Tcp, $"127.0.0.1:{talker.Port}", new ProbeExpect { Receive = "PONG" }, Patience);
        var silent = await ProbeAsync(ProbeType.Tcp, $"127.0.0.1:{mute.Port}", new ProbeExpect { Receive = "PONG" }, Patience);

        AssertFailed(talking, ErrorClass.Content);
        Assert.Contains("HELLO", talking.Error!.Message, StringComparison.Ordinal);
        AssertFailed(silent, ErrorClass.Protocol);
        Assert.Contains("closed the connection", silent.Error!.Message, StringComparison.Ordinal);

        // Ended by the close, not by the deadline (which would be class timeout or a total of 30 s).
        Assert.All(new[] { talking, silent }, r => Assert.True(r.Phases.Total < Patience, $"{r.Phases.Total} ms"));
    }
}
