using System.Text;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// Waiting for a text in a stream without line structure (tcp <c>expect.receive</c>, telnet
/// banners). The server may send its answer in pieces and never say it is done, so the wait
/// ends on a match, on close, on a size limit, or at the deadline; a deadline after some text
/// arrived is a content mismatch rather than silence.
/// </summary>
internal static class TextReceiver
{
    private const int MaxReceiveChars = 64 * 1024;

    /// <summary>Removes what is not text (telnet negotiation) and may answer it.</summary>
    public delegate Task<ReadOnlyMemory<byte>> ChunkFilter(ReadOnlyMemory<byte> chunk);

    public static async Task<string> ReceiveAsync(ProbeRun run, Stream stream, string expected, string what, ChunkFilter? filter = null)
    {
        run.Stage = ProbeStage.Exchange;
        run.Activity = $"waiting for {what} to contain \"{expected}\"";
        var decoder = Encoding.UTF8.GetDecoder();
        var text = new StringBuilder();
        var buffer = new byte[4096];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        ProbeFailure Mismatch() => new(ErrorClass.Content, $"{what} does not contain \"{expected}\" (got \"{Excerpt.Of(text.ToString())}\")");
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, run.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    throw text.Length > 0 ? Mismatch() : new ProbeFailure(ErrorClass.Protocol, $"the server closed the connection without sending {what}");
                }

                run.MarkFirstByte();
                var chunk = filter is null ? buffer.AsMemory(0, read) : await filter(buffer.AsMemory(0, read)).ConfigureAwait(false);
                var count = decoder.GetChars(chunk.Span, chars, flush: false);
                text.Append(chars, 0, count);
                if (text.ToString().Contains(expected, StringComparison.Ordinal))
                {
                    return text.ToString();
                }

                if (text.Length > MaxReceiveChars)
                {
                    throw Mismatch();
                }
            }
        }
        catch (OperationCanceledException) when (run.TimedOut && text.Length > 0)
        {
            throw Mismatch();
        }
    }
}
