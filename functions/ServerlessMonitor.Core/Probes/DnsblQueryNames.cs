using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// The names a blacklist is asked about (RFC 5782): an IPv4 address as its four octets reversed,
/// an IPv6 address as its 32 nibbles reversed, a domain as it is, each followed by the list's
/// zone. And the addresses of a block, which a block's check asks about one by one.
/// </summary>
public static class DnsblQueryNames
{
    /// <summary>The widest IPv4 block accepted: /24, 256 addresses.</summary>
    public const int MinIPv4Prefix = 24;

    /// <summary>The widest IPv6 block accepted: /120, 256 addresses.</summary>
    public const int MinIPv6Prefix = 120;

    /// <summary><c>2.0.0.127</c> for 127.0.0.2; 32 dot-separated nibbles, lowest first, for an IPv6 address.</summary>
    public static string Reversed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Join('.', bytes.Reverse().Select(octet => octet.ToString(CultureInfo.InvariantCulture)));
        }

        var text = new StringBuilder(63);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            text.Append(Nibble(bytes[i] & 0x0f)).Append('.').Append(Nibble(bytes[i] >> 4));
            if (i > 0)
            {
                text.Append('.');
            }
        }

        return text.ToString();
    }

    /// <summary>The question for an address on an IP list.</summary>
    public static string ForAddress(IPAddress address, string zone) => $"{Reversed(address)}.{zone}";

    /// <summary>The question for a domain on a domain (right-hand-side) list: the domain as it is.</summary>
    public static string ForDomain(string domain, string zone)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return $"{domain.TrimEnd('.').ToLowerInvariant()}.{zone}";
    }

    /// <summary>The block's first address: <paramref name="address"/> with its host bits cleared.</summary>
    public static IPAddress NetworkOf(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        for (var bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    /// <summary>Every address of the block, in order (a /24 or /120 has 256).</summary>
    public static IReadOnlyList<IPAddress> Expand(ProbeTarget.Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var bytes = NetworkOf(block.Network, block.PrefixLength).GetAddressBytes();
        var hostBits = (bytes.Length * 8) - block.PrefixLength;
        var count = 1 << hostBits;
        var addresses = new List<IPAddress>(count);
        for (var host = 0; host < count; host++)
        {
            var copy = (byte[])bytes.Clone();
            // At most 8 host bits: they sit in the last byte.
            copy[^1] |= (byte)host;
            addresses.Add(new IPAddress(copy));
        }

        return addresses;
    }

    private static char Nibble(int value) => "0123456789abcdef"[value];
}
