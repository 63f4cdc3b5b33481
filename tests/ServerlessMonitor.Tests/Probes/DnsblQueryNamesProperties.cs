using System.Globalization;
using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>
/// The names blacklists are asked about (RFC 5782), as properties: reversed octets and nibbles
/// read back (through the reverse-lookup reader the dns probe uses) to the address they came from,
/// domains go as they are, and a block expands to exactly its addresses.
/// </summary>
public sealed class DnsblQueryNamesProperties
{
    private static readonly Gen<IPAddress> V4 = Gen.Choose(0, 255).ArrayOf(4).Select(b => new IPAddress(b.Select(x => (byte)x).ToArray()));

    private static readonly Gen<IPAddress> V6 = Gen.Choose(0, 255).ArrayOf(16).Select(b => new IPAddress(b.Select(x => (byte)x).ToArray()));

    private static readonly Gen<string> Label = Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()).ArrayOf()
        .Where(c => c.Length is > 0 and <= 20 && c[0] != '-' && c[^1] != '-').Select(c => new string(c));

    [Property(MaxTest = 500)]
    public Property An_IPv4_name_is_the_four_octets_reversed()
    {
        return Prop.ForAll(V4.ToArbitrary(), address =>
        {
            var reversed = DnsblQueryNames.Reversed(address);
            var octets = address.GetAddressBytes().Select(b => b.ToString(CultureInfo.InvariantCulture)).Reverse();
            return reversed == string.Join('.', octets)
                && ReverseName.Address(reversed + ".in-addr.arpa")!.Equals(address)
                && DnsblQueryNames.ForAddress(address, "zen.spamhaus.org") == reversed + ".zen.spamhaus.org";
        });
    }

    [Property(MaxTest = 500)]
    public Property An_IPv6_name_is_the_32_nibbles_reversed()
    {
        return Prop.ForAll(V6.ToArbitrary(), address =>
        {
            var labels = DnsblQueryNames.Reversed(address).Split('.');
            var hex = Convert.ToHexStringLower(address.GetAddressBytes());
            return labels.Length == 32
                && labels.All(l => l.Length == 1 && Uri.IsHexDigit(l[0]) && l == l.ToLowerInvariant())
                && string.Concat(labels.Reverse()) == hex
                && ReverseName.Address(string.Join('.', labels) + ".ip6.arpa")!.Equals(address);
        });
    }

    [Property(MaxTest = 300)]
    public Property A_domain_is_asked_as_it_is_lower_cased_without_its_trailing_dot()
    {
        var cases = from labels in Label.ArrayOf().Where(l => l.Length is > 1 and < 5)
                    from dot in Gen.Elements(true, false)
                    select (Name: string.Join('.', labels), Dot: dot);
        return Prop.ForAll(cases.ToArbitrary(), c =>
            DnsblQueryNames.ForDomain(c.Name.ToUpperInvariant() + (c.Dot ? "." : ""), "dbl.spamhaus.org") == c.Name + ".dbl.spamhaus.org");
    }

    [Property(MaxTest = 300)]
    public Property A_block_expands_to_exactly_its_addresses_in_order()
    {
        var cases = Gen.Elements(true, false).SelectMany(v4 =>
            (v4 ? V4 : V6).SelectMany(address => Gen.Choose(v4 ? 24 : 120, v4 ? 32 : 128).Select(prefix => (Address: address, Prefix: prefix))));
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            Assert.True(ProbeTarget.TryParse(ProbeType.Dnsbl, $"{c.Address}/{c.Prefix}", out var parsed, out var error), error);
            var block = Assert.IsType<ProbeTarget.Block>(parsed);
            var addresses = DnsblQueryNames.Expand(block);
            var bits = c.Address.GetAddressBytes().Length * 8;
            return addresses.Count == 1 << (bits - c.Prefix)
                && addresses[0].Equals(block.Network)
                && addresses.All(a => DnsblQueryNames.NetworkOf(a, c.Prefix).Equals(block.Network))
                && addresses.Contains(c.Address)
                && addresses.Distinct().Count() == addresses.Count
                && addresses.Zip(addresses.Skip(1)).All(p => p.First.GetAddressBytes()[^1] + 1 == p.Second.GetAddressBytes()[^1]);
        });
    }

    [Property(MaxTest = 300)]
    public Property Blocks_wider_than_256_addresses_are_refused()
    {
        var cases = Gen.Elements(true, false).SelectMany(v4 =>
            (v4 ? V4 : V6).SelectMany(address => Gen.Choose(0, v4 ? 23 : 119).Select(prefix => $"{address}/{prefix}")));
        return Prop.ForAll(cases.ToArbitrary(), text => !ProbeTarget.TryParse(ProbeType.Dnsbl, text, out _, out _));
    }

    [Theory]
    [InlineData("192.0.2.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("192.0.2.0/")]
    [InlineData("192.0.2.0/x")]
    [InlineData("example.com/24")]
    public void Malformed_blocks_are_refused(string text) =>
        Assert.False(ProbeTarget.TryParse(ProbeType.Dnsbl, text, out _, out _));
}
