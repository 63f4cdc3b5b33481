using System.Globalization;
using System.Net;

namespace ServerlessMonitor.Core.Probes;

/// <summary>The address a reverse-lookup name (<c>4.3.2.1.in-addr.arpa</c>, <c>….ip6.arpa</c>) stands for.</summary>
internal static class ReverseName
{
    public static IPAddress? Address(string name)
    {
        var labels = name.TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels.Length == 6 && labels[^2] == "in-addr" && labels[^1] == "arpa")
        {
            var octets = labels[..4].Reverse().ToArray();
            return octets.All(octet => byte.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                ? IPAddress.Parse(string.Join('.', octets))
                : null;
        }

        if (labels.Length == 34 && labels[^2] == "ip6" && labels[^1] == "arpa" && labels[..32].All(label => label.Length == 1 && Uri.IsHexDigit(label[0])))
        {
            var hex = string.Concat(labels[..32].Reverse());
            return IPAddress.Parse(string.Join(':', Enumerable.Range(0, 8).Select(group => hex.Substring(group * 4, 4))));
        }

        return null;
    }
}
