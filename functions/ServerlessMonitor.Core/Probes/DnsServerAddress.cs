using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Probes;

/// <summary>A dns monitor's <c>expect.server</c>: <c>ip</c>, <c>ip:port</c> or <c>[v6]:port</c>. Monitor validation uses it too.</summary>
public static partial class DnsServerAddress
{
    public const int DefaultPort = 53;

    /// <summary>
    /// The server's endpoint, or null when the text is none of those forms. Zone ids
    /// (<c>fe80::1%eth0</c>) name an interface of the probing machine, which means nothing in Azure.
    /// </summary>
    public static IPEndPoint? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('%', StringComparison.Ordinal))
        {
            return null;
        }

        if (!text.StartsWith('[') && IPAddress.TryParse(text, out var bare) && (bare.AddressFamily == AddressFamily.InterNetworkV6 || !text.Contains(':', StringComparison.Ordinal)))
        {
            return new IPEndPoint(bare, DefaultPort);
        }

        var match = WithPort().Match(text);
        if (!match.Success || !IPAddress.TryParse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, out var address))
        {
            return null;
        }

        if (match.Groups[2].Success && address.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }

        var port = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : DefaultPort;
        return port is >= 1 and <= 65535 ? new IPEndPoint(address, port) : null;
    }

    [GeneratedRegex(@"^(?:\[([^\]]+)\]|([^:\[\]]+))(?::(\d{1,5}))?$")]
    private static partial Regex WithPort();
}
