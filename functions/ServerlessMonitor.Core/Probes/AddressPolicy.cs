using System.Net;
using System.Net.Sockets;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// The SSRF policy (DESIGN.md, Security): targets are untrusted, so whoever connects on a
/// user's behalf (probes, webhooks) resolves the name, checks every address with this policy
/// and connects only to an address it checked.
/// </summary>
public static class AddressPolicy
{
    private static readonly (IPNetwork Range, string Reason)[] InternalRanges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "this network"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local NAT64"),
        (IPNetwork.Parse("100::/64"), "discard"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("fc00::/7"), "unique local (private)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    /// <summary>Azure's instance metadata and wire server (and the AWS IPv6 metadata address): never probed, even where private targets are allowed.</summary>
    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"),
        IPAddress.Parse("168.63.129.16"),
        IPAddress.Parse("fd00:ec2::254"),
    ];

    private static readonly IPNetwork Nat64WellKnown = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>
    /// Why this address may not be probed, or null when it may. An IPv6 address that carries
    /// an IPv4 address (IPv4-mapped <c>::ffff:10.0.0.1</c>, also written <c>::ffff:a00:1</c>, and
    /// the NAT64 well-known prefix <c>64:ff9b::/96</c>) is judged by the IPv4 address it reaches.
    /// </summary>
    public static string? BlockedReason(IPAddress address, bool allowPrivateTargets)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (EmbeddedIPv4(address) is { } reached)
        {
            return BlockedReason(reached, allowPrivateTargets);
        }

        // Scope ids name an interface of this machine; the address is judged without one.
        var bare = address.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress(address.GetAddressBytes()) : address;
        if (MetadataAddresses.Contains(bare))
        {
            return "cloud metadata service";
        }

        if (allowPrivateTargets)
        {
            return null;
        }

        foreach (var (range, reason) in InternalRanges)
        {
            if (range.Contains(bare))
            {
                return reason;
            }
        }

        return null;
    }

    public static bool IsAllowed(IPAddress address, bool allowPrivateTargets) => BlockedReason(address, allowPrivateTargets) is null;

    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (Nat64WellKnown.Contains(address))
        {
            return new IPAddress(address.GetAddressBytes().AsSpan(12, 4));
        }

        return null;
    }
}
