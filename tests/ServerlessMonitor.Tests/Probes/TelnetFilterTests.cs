using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>
/// Telnet negotiation taken out of the banner text (telnet.test.ts): every option the server asks
/// for refused once, escaped 0xFF kept, subnegotiation and other commands dropped, and a command
/// cut between two reads held until it is whole, so the text is the same however it arrives.
/// </summary>
public sealed class TelnetFilterTests
{
    private const byte Iac = 255;

    [Fact]
    public void Negotiation_is_removed_and_every_requested_option_refused_once()
    {
        var (text, reply) = new TelnetFilter().Feed(Bytes(Iac, 251, 1, "Hel", Iac, 253, 24, "lo", Iac, 251, 1));

        Assert.Equal("Hello", System.Text.Encoding.ASCII.GetString(text));
        Assert.Equal([Iac, 254, 1, Iac, 252, 24], reply);
    }

    [Fact]
    public void Escaped_0xFF_is_kept_subnegotiation_and_two_byte_commands_dropped_and_WONT_and_DONT_ignored()
    {
        var (text, reply) = new TelnetFilter().Feed(Bytes("a", Iac, Iac, "b", Iac, 250, 24, 1, Iac, 240, "c", Iac, 241, Iac, 252, 3, Iac, 254, 1, "d"));

        Assert.Equal([97, 255, 98, 99, 100], text);
        Assert.Empty(reply);
    }

    [Fact]
    public void A_command_split_across_reads_is_held_until_it_is_whole()
    {
        var filter = new TelnetFilter();
        Assert.Equal("x"u8.ToArray(), filter.Feed(Bytes("x", Iac)).Text);
        var second = filter.Feed(Bytes(253));
        Assert.Empty(second.Text);
        Assert.Empty(second.Reply);
        var third = filter.Feed(Bytes(31, "y"));
        Assert.Equal("y"u8.ToArray(), third.Text);
        Assert.Equal([Iac, 252, 31], third.Reply);
    }

    [Property]
    public Property The_text_is_the_same_however_the_stream_is_split()
    {
        var stream = Bytes("login", Iac, 251, 1, Iac, 250, 24, 0, Iac, 240, ": ", Iac, Iac, Iac, 253, 3, "ok");
        byte[] expected = [.. "login: "u8.ToArray(), 255, .. "ok"u8.ToArray()];
        var cuts = Gen.ListOf(Gen.Choose(1, stream.Length - 1)).Select(l => l.Distinct().Order().Take(6).ToList());
        return Prop.ForAll(cuts.ToArbitrary(), points =>
        {
            var filter = new TelnetFilter();
            var text = new List<byte>();
            var start = 0;
            foreach (var end in points.Append(stream.Length))
            {
                text.AddRange(filter.Feed(stream.AsSpan(start, end - start)).Text);
                start = end;
            }

            return text.SequenceEqual(expected);
        });
    }

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? System.Text.Encoding.ASCII.GetBytes(s) : [Convert.ToByte(p, System.Globalization.CultureInfo.InvariantCulture)])];
}
