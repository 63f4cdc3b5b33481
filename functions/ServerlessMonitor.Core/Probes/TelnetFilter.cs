namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// Separates telnet commands (RFC 854) from text across chunks, and refuses every option the
/// server asks for, once each: DO → WONT, WILL → DONT, the plainest terminal there is.
/// </summary>
internal sealed class TelnetFilter
{
    private const byte Iac = 255;
    private const byte Dont = 254;
    private const byte Do = 253;
    private const byte Wont = 252;
    private const byte Will = 251;
    private const byte Sb = 250;
    private const byte Se = 240;
    private const int MaxPendingBytes = 4096;

    private readonly HashSet<int> _answered = [];
    private byte[] _pending = [];

    /// <summary>The text bytes of <paramref name="chunk"/>, and the negotiation answers to send back.</summary>
    public (byte[] Text, byte[] Reply) Feed(ReadOnlySpan<byte> chunk)
    {
        var data = _pending.Length > 0 ? [.. _pending, .. chunk] : chunk.ToArray();
        var text = new List<byte>(data.Length);
        var reply = new List<byte>();
        var i = 0;
        while (i < data.Length)
        {
            if (data[i] != Iac)
            {
                text.Add(data[i++]);
                continue;
            }

            if (i + 1 >= data.Length)
            {
                break;
            }

            var command = data[i + 1];
            if (command == Iac)
            {
                text.Add(Iac);
                i += 2;
            }
            else if (command is >= Will and <= Dont)
            {
                if (i + 2 >= data.Length)
                {
                    break;
                }

                Answer(command, data[i + 2], reply);
                i += 3;
            }
            else if (command == Sb)
            {
                var end = IndexOfSubnegotiationEnd(data, i + 2);
                if (end == -1)
                {
                    break;
                }

                i = end + 2;
            }
            else
            {
                i += 2;
            }
        }

        // An unterminated subnegotiation that keeps growing is not worth holding on to.
        _pending = data.Length - i > MaxPendingBytes ? [] : data[i..];
        return ([.. text], [.. reply]);
    }

    private static int IndexOfSubnegotiationEnd(byte[] data, int from)
    {
        for (var j = from; j + 1 < data.Length; j++)
        {
            if (data[j] == Iac && data[j + 1] == Se)
            {
                return j;
            }
        }

        return -1;
    }

    private void Answer(byte command, byte option, List<byte> reply)
    {
        if (command is not (Do or Will) || !_answered.Add((command * 256) + option))
        {
            return;
        }

        reply.AddRange([Iac, command == Do ? Wont : Dont, option]);
    }
}
