using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// A monitor's target in its stored spelling, and the host the SSRF check resolves. The probe
/// engine's own parser decides what a target may be, so a monitor is accepted only if it can be
/// probed; this adds one spelling per target (lower-case ASCII host, canonical IPv6, no URL
/// fragment, no trailing dot, a default port not appended), so equal targets compare equal.
/// </summary>
/// <param name="Stored">What is stored: <c>https://example.com/health</c>, <c>mail.example.com:2525</c>, <c>[2001:db8::1]:22</c>, <c>example.com</c>.</param>
/// <param name="Host">Host name (ASCII) or address (IPv6 without brackets).</param>
public sealed record MonitorTarget(string Stored, string Host)
{
    /// <summary>The normal form of <paramref name="text"/> for <paramref name="type"/>, or why it is not a target of that type.</summary>
    public static MonitorTarget? Normalize(ProbeType type, string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!ProbeTarget.TryParse(type, text.Trim(), out var parsed, out error))
        {
            return null;
        }

        var target = Spell(parsed!);
        if (LooksLikeBadAddress(target.Host))
        {
            error = $"\"{target.Host}\" is neither an IP address nor a host name";
            return null;
        }

        return target;
    }

    private static MonitorTarget Spell(ProbeTarget parsed)
    {
        switch (parsed)
        {
            case ProbeTarget.Url url:
                var host = CanonicalHost(url.Host);
                var hostText = IPAddress.TryParse(host, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
                var port = url.Uri.IsDefaultPort ? string.Empty : ":" + url.Port.ToString(CultureInfo.InvariantCulture);
                return new MonitorTarget($"{url.Uri.Scheme}://{hostText}{port}{url.Uri.PathAndQuery}", host);
            case ProbeTarget.HostPort hostPort:
                var name = CanonicalHost(hostPort.Host);
                var isV6 = IPAddress.TryParse(name, out var b) && b.AddressFamily == AddressFamily.InterNetworkV6;
                var stored = !hostPort.PortGiven ? name
                    : isV6 ? $"[{name}]:{hostPort.Port.ToString(CultureInfo.InvariantCulture)}"
                    : $"{name}:{hostPort.Port.ToString(CultureInfo.InvariantCulture)}";
                return new MonitorTarget(stored, name);
            case ProbeTarget.Name dnsName:
                var canonical = CanonicalHost(dnsName.Value);
                return new MonitorTarget(canonical, canonical);
            case ProbeTarget.Block block:
                return new MonitorTarget(block.ToString(), block.Network.ToString());
            default:
                throw new ArgumentOutOfRangeException(nameof(parsed), parsed, "a target kind without a spelling");
        }
    }

    /// <summary>
    /// No top-level domain is all digits (RFC 3696), so a name like 999.1.1.1 is a mistyped
    /// address, which would only ever fail as a dns error.
    /// </summary>
    private static bool LooksLikeBadAddress(string host) =>
        !IPAddress.TryParse(host, out _) && host.TrimEnd('.').Split('.')[^1].All(char.IsAsciiDigit);

    /// <summary>Lower case, no trailing dot, an address in its shortest form (2001:DB8:0::1 → 2001:db8::1).</summary>
    private static string CanonicalHost(string host) =>
        IPAddress.TryParse(host, out var address) ? address.ToString() : host.ToLowerInvariant().TrimEnd('.');
}
