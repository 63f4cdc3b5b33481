using System.Net;
using System.Text;

namespace ServerlessMonitor.Tests.Support.Servers;

/// <summary>One resource record of the test DNS server: its type and its RDATA, built by the factory methods.</summary>
public sealed record DnsRecord(ushort Type, byte[] Data)
{
    public static DnsRecord A(string address) => new(1, IPAddress.Parse(address).GetAddressBytes());

    public static DnsRecord Aaaa(string address) => new(28, IPAddress.Parse(address).GetAddressBytes());

    public static DnsRecord Cname(string name) => new(5, EncodeName(name));

    public static DnsRecord Ns(string name) => new(2, EncodeName(name));

    public static DnsRecord Ptr(string name) => new(12, EncodeName(name));

    public static DnsRecord Mx(ushort preference, string exchange) => new(15, [.. U16(preference), .. EncodeName(exchange)]);

    public static DnsRecord Txt(params string[] strings) =>
        new(16, [.. strings.SelectMany(text => new[] { (byte)Encoding.UTF8.GetByteCount(text) }.Concat(Encoding.UTF8.GetBytes(text)))]);

    public static DnsRecord Soa(string mname, string rname, uint serial, uint refresh, uint retry, uint expire, uint minimum) =>
        new(6, [.. EncodeName(mname), .. EncodeName(rname), .. U32(serial), .. U32(refresh), .. U32(retry), .. U32(expire), .. U32(minimum)]);

    public static DnsRecord Srv(ushort priority, ushort weight, ushort port, string target) =>
        new(33, [.. U16(priority), .. U16(weight), .. U16(port), .. EncodeName(target)]);

    public static DnsRecord Caa(byte flags, string tag, string value) =>
        new(257, [flags, (byte)tag.Length, .. Encoding.ASCII.GetBytes(tag), .. Encoding.ASCII.GetBytes(value)]);

    public static byte[] EncodeName(string name) =>
        [.. name.TrimEnd('.').Split('.').SelectMany(label => new[] { (byte)label.Length }.Concat(Encoding.ASCII.GetBytes(label))), 0];

    public static string TypeName(ushort type) => type switch
    {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        257 => "CAA",
        _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static byte[] U16(ushort value) => [(byte)(value >> 8), (byte)value];

    private static byte[] U32(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
