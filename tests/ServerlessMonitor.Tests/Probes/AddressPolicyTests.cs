using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Probes;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("169.254.1.1", "link-local (cloud metadata)")]
    [InlineData("0.1.2.3", "this network")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd12:3456::1", "unique local (private)")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:a00:1", "private")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("64:ff9b::10.0.0.1", "private")]
    public void Refuses_internal_addresses_unless_private_targets_are_allowed(string address, string reason)
    {
        Assert.Equal(reason, AddressPolicy.BlockedReason(IPAddress.Parse(address), allowPrivateTargets: false));
        Assert.Null(AddressPolicy.BlockedReason(IPAddress.Parse(address), allowPrivateTargets: true));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("168.63.129.16")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void Never_allows_the_cloud_metadata_services(string address)
    {
        Assert.Equal("cloud metadata service", AddressPolicy.BlockedReason(IPAddress.Parse(address), allowPrivateTargets: true));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Allows_public_addresses(string address)
    {
        Assert.True(AddressPolicy.IsAllowed(IPAddress.Parse(address), allowPrivateTargets: false));
    }

    [Property(MaxTest = 500)]
    public bool An_IPv6_form_of_an_IPv4_address_is_judged_as_that_address(uint value, bool allowPrivate)
    {
        var v4 = new IPAddress(BitConverter.GetBytes(value));
        var bytes = v4.GetAddressBytes();
        var nat64 = new IPAddress([0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, .. bytes]);
        var expected = AddressPolicy.BlockedReason(v4, allowPrivate);
        return AddressPolicy.BlockedReason(v4.MapToIPv6(), allowPrivate) == expected
            && AddressPolicy.BlockedReason(nat64, allowPrivate) == expected;
    }

    [Property(MaxTest = 200)]
    public Property Private_ranges_are_blocked_wherever_inside_them()
    {
        var tenNet = Gen.Choose(0, (1 << 24) - 1).Select(offset => new IPAddress([10, (byte)(offset >> 16), (byte)(offset >> 8), (byte)offset]));
        return Prop.ForAll(tenNet.ToArbitrary(), address => AddressPolicy.BlockedReason(address, allowPrivateTargets: false) == "private");
    }
}
