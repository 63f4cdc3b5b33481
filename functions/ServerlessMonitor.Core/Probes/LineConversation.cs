using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// A line-based exchange with a server (FTP, SMTP, POP3, IMAP, SSH greetings): read lines and
/// numbered replies, send commands, switch to TLS in the middle (STARTTLS). The first byte read
/// sets the firstByte milestone.
/// </summary>
internal sealed partial class LineConversation(ProbeRun run, Stream stream)
{
    private const int MaxLineBytes = 4096;
    private const int MaxReplyLines = 100;

    private readonly byte[] _buffer = new byte[MaxLineBytes * 2];
    private Stream _stream = stream;
    private int _start;
    private int _end;

    /// <summary>Our end of the connection, for greetings that name the client (EHLO).</summary>
    public required Socket Socket { get; init; }

    public static async Task<LineConversation> OpenAsync(ProbeRun run, string host, int port, bool implicitTls)
    {
        var socket = await run.OpenAsync(host, port).ConfigureAwait(false);
        Stream stream = run.Own(new NetworkStream(socket, ownsSocket: true));
        if (implicitTls)
        {
            stream = await run.StartTlsAsync(stream, host).ConfigureAwait(false);
        }

        run.Stage = ProbeStage.Exchange;
        return new LineConversation(run, stream) { Socket = socket };
    }

    /// <summary>The next line from the server, without its line ending.</summary>
    public async Task<string> ReadLineAsync(string waitingFor)
    {
        run.Activity = $"waiting for {waitingFor}";
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }

            if (_end - _start >= MaxLineBytes)
            {
                throw new ProbeFailure(ErrorClass.Protocol, $"{waitingFor}: a line longer than {MaxLineBytes} bytes");
            }

            Compact();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), run.Token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ProbeFailure(ErrorClass.Protocol, $"the server closed the connection while we were waiting for {waitingFor}");
            }

            run.MarkFirstByte();
            _end += read;
        }
    }

    /// <summary>
    /// A numbered reply as SMTP (RFC 5321) and FTP (RFC 959) send them: "220-first line", …,
    /// "220 last line". FTP's continuation lines need not repeat the code.
    /// </summary>
    public async Task<Reply> ReadReplyAsync(string waitingFor)
    {
        var first = await ReadLineAsync(waitingFor).ConfigureAwait(false);
        var match = NumberedLine().Match(first);
        if (!match.Success)
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"{waitingFor}: expected a numbered reply, got \"{Excerpt.Of(first)}\"");
        }

        var code = match.Groups[1].Value;
        var lines = new List<string> { first.Length > 4 ? first[4..] : "" };
        var more = match.Groups[2].Value == "-";
        while (more)
        {
            if (lines.Count >= MaxReplyLines)
            {
                throw new ProbeFailure(ErrorClass.Protocol, $"{waitingFor}: a reply of more than {MaxReplyLines} lines");
            }

            var line = await ReadLineAsync(waitingFor).ConfigureAwait(false);
            var numbered = line.StartsWith(code, StringComparison.Ordinal) && (line.Length == 3 || line[3] is ' ' or '-');
            lines.Add(numbered ? (line.Length > 4 ? line[4..] : "") : line);
            more = !(numbered && (line.Length == 3 || line[3] != '-'));
        }

        return new Reply(int.Parse(code, CultureInfo.InvariantCulture), lines);
    }

    public async Task SendAsync(string command)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes($"{command}\r\n"), run.Token).ConfigureAwait(false);
        await _stream.FlushAsync(run.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Says goodbye (QUIT, LOGOUT) without waiting for the answer. The verdict is in by now,
    /// so a failure or the deadline passing here changes nothing.
    /// </summary>
    public async Task CloseAsync(string command)
    {
        try
        {
            await SendAsync(command).ConfigureAwait(false);
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone: nothing to say goodbye to.
        }
    }

    /// <summary>Switches the connection to TLS after the server agreed (STARTTLS, STLS).</summary>
    public async Task UpgradeToTlsAsync(string host)
    {
        // Bytes the server sent before the handshake would be read as if they came over TLS:
        // refuse them (the STARTTLS command-injection weakness, RFC 7457 §2.2).
        if (_end > _start)
        {
            throw new ProbeFailure(ErrorClass.Protocol, "the server sent data after agreeing to start TLS");
        }

        _stream = await run.StartTlsAsync(_stream, host).ConfigureAwait(false);
    }

    private void Compact()
    {
        if (_start == 0)
        {
            return;
        }

        Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = 0;
    }

    [GeneratedRegex(@"^(\d{3})([ -]|$)")]
    private static partial Regex NumberedLine();
}
