using System.Net;
using System.Net.Sockets;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// How often unauthenticated sign-ups may send mail, so that sign-up cannot be used to mail
/// strangers in bulk or to spend the sending quota alerts need. Constants, not settings: the
/// per-address number is the contract, and the others only need to sit well below any ACS
/// quota a deployment has (a custom domain starts at 100 mails a minute and more an hour).
/// </summary>
public static class SignupLimits
{
    /// <summary>Enough for a lost message or two, too few to flood a mailbox (BEHAVIOUR.md).</summary>
    public static readonly SlidingWindow PerAddress = new(3, TimeSpan.FromHours(1));

    /// <summary>An office behind one NAT can sign a team up; a script from one network is stopped within minutes.</summary>
    public static readonly SlidingWindow PerNetwork = new(20, TimeSpan.FromHours(1));

    /// <summary>Far above an honest deployment's sign-ups, far below the mail an attacker with many networks would want.</summary>
    public static readonly SlidingWindow Overall = new(100, TimeSpan.FromHours(1));

    /// <summary>The scope a client address is counted under: the address for IPv4, its /64 for IPv6 (one household or host has a whole /64).</summary>
    public static string NetworkScope(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        if (client.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = client.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            client = new IPAddress(bytes);
        }

        return $"net|{Ids.Sha256Hex(client.ToString())}";
    }

    public const string OverallScope = "all";
}
