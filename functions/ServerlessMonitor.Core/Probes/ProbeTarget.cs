using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// What a monitor's target means for its type. Monitor validation parses it too, so that a
/// monitor is accepted only if a probe can use its target; the probe parses it again.
/// </summary>
public abstract partial record ProbeTarget
{
    private ProbeTarget()
    {
    }

    /// <summary>http, https: the URL (fragment dropped), its host (no brackets, IDN as ASCII) and effective port.</summary>
    public sealed record Url(Uri Uri, string Host, int Port) : ProbeTarget;

    /// <summary>tcp, ping and the banner protocols. <see cref="PortGiven"/> is false when the port is the type's default.</summary>
    public sealed record HostPort(string Host, int Port, bool PortGiven) : ProbeTarget;

    /// <summary>dns: the name (or, for PTR lookups, the address) to query. dnsbl: an address, a mail host or a domain.</summary>
    public sealed record Name(string Value) : ProbeTarget;

    /// <summary>dnsbl: an address block in CIDR form, its host bits cleared (IPv4 /24–/32, IPv6 /120–/128).</summary>
    public sealed record Block(IPAddress Network, int PrefixLength) : ProbeTarget
    {
        public override string ToString() => $"{Network}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The target for <paramref name="type"/>, or why it is not one (a sentence for the user).</summary>
    public static bool TryParse(ProbeType type, string text, out ProbeTarget? target, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        target = null;
        error = Check(type, text) ?? Parse(type, text, out target);
        return error is null;
    }

    private static string? Check(ProbeType type, string text)
    {
        if (text.Length is 0 or > 2048)
        {
            return "the target must be 1 to 2048 characters";
        }

        if (text.Any(char.IsWhiteSpace))
        {
            return "the target must not contain spaces";
        }

        // A zone id (fe80::1%eth0) names an interface of the probing machine, never a target.
        return text.Contains('%', StringComparison.Ordinal) && type is not (ProbeType.Http or ProbeType.Https)
            ? "IPv6 zone ids are not accepted"
            : null;
    }

    private static string? Parse(ProbeType type, string text, out ProbeTarget? target) => type switch
    {
        ProbeType.Http or ProbeType.Https => ParseUrl(type, text, out target),
        ProbeType.Dns => ParseName(text, out target),
        ProbeType.Dnsbl => text.Contains('/', StringComparison.Ordinal) ? ParseBlock(text, out target) : ParseName(text, out target),
        _ => ParseHostPort(text, type.DefaultPort(), out target),
    };

    private static string? ParseUrl(ProbeType type, string text, out ProbeTarget? target)
    {
        target = null;
        var expected = type.Name();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !text.Contains("://", StringComparison.Ordinal))
        {
            return $"expected a URL such as {expected}://example.com/health";
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return $"expected an http:// or https:// URL, got {uri.Scheme}://";
        }

        if (uri.Scheme != expected)
        {
            return $"a {uri.Scheme}:// URL needs the monitor type {uri.Scheme}";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "credentials in the URL are not supported";
        }

        var host = uri.IdnHost.Trim('[', ']').ToLowerInvariant();
        if (host.Length == 0)
        {
            return "the URL has no host";
        }

        if (!IPAddress.TryParse(host, out _) && !(IsHostName(host) && host.Split('.').All(IsPunycodeOfSomething)))
        {
            return $"\"{host}\" is not a valid host name";
        }

        target = new Url(new UriBuilder(uri) { Fragment = string.Empty }.Uri, host, uri.Port);
        return null;
    }

    private static string? ParseHostPort(string text, int? defaultPort, out ProbeTarget? target)
    {
        target = null;
        var example = defaultPort is null ? "host:port, e.g. db.example.com:5432" : $"host or host:port, e.g. example.com:{defaultPort}";
        string host;
        string? portText = null;
        var bracketed = BracketedHost().Match(text);
        if (bracketed.Success)
        {
            host = bracketed.Groups[1].Value;
            portText = bracketed.Groups[2].Success ? bracketed.Groups[2].Value : null;
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return $"[{host}] is not an IPv6 address";
            }
        }
        else if (IPAddress.TryParse(text, out var bare) && bare.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // A bare IPv6 address cannot carry a port: "::1:22" is itself an address.
            host = text;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon == -1 ? text : text[..colon];
            portText = colon == -1 ? null : text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal))
            {
                return $"expected {example}";
            }
        }

        if (portText is null && defaultPort is null)
        {
            return $"a port is needed: expected {example}";
        }

        int port;
        if (portText is null)
        {
            port = defaultPort!.Value;
        }
        else if (!PortDigits().IsMatch(portText) || !int.TryParse(portText, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return $"the port must be 1 to 65535: expected {example}";
        }

        var ascii = IPAddress.TryParse(host, out var address) ? address.ToString() : AsciiHost(host);
        if (ascii is null)
        {
            return $"\"{host}\" is not a valid host name: expected {example}";
        }

        target = new HostPort(ascii, port, portText is not null);
        return null;
    }

    private static string? ParseName(string text, out ProbeTarget? target)
    {
        target = null;
        var name = IPAddress.TryParse(text, out var address) ? address.ToString() : AsciiHost(text);
        if (name is null)
        {
            return $"\"{text}\" is not a valid domain name";
        }

        target = new Name(name);
        return null;
    }

    private static string? ParseBlock(string text, out ProbeTarget? target)
    {
        target = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(text[..slash], out var address) || !PrefixDigits().IsMatch(text[(slash + 1)..]))
        {
            return $"\"{text}\" is not an address block: expected CIDR such as 192.0.2.0/24 or 2001:db8::/120";
        }

        var prefix = int.Parse(text[(slash + 1)..], CultureInfo.InvariantCulture);
        var (min, max) = address.AddressFamily == AddressFamily.InterNetwork ? (DnsblQueryNames.MinIPv4Prefix, 32) : (DnsblQueryNames.MinIPv6Prefix, 128);
        if (prefix < min || prefix > max)
        {
            return $"an {(max == 32 ? "IPv4" : "IPv6")} block must be /{min} to /{max} (at most {1 << (max - min)} addresses)";
        }

        target = new Block(DnsblQueryNames.NetworkOf(address, prefix), prefix);
        return null;
    }

    /// <summary>The host in ASCII (IDNs punycoded, lower case), or null when it is not a host name.</summary>
    private static string? AsciiHost(string host)
    {
        string ascii;
        try
        {
            ascii = new IdnMapping().GetAscii(host.TrimEnd('.')) + (host.EndsWith('.') ? "." : "");
        }
        catch (ArgumentException)
        {
            return null;
        }

        ascii = ascii.ToLowerInvariant();
        return IsHostName(ascii) && ascii.Split('.').All(IsPunycodeOfSomething) ? ascii : null;
    }

    /// <summary>
    /// An "xn--" label must decode to a name, with something non-ASCII and nothing invisible in it,
    /// that encodes back to the label: with invariant globalization IdnMapping passes "xn--"
    /// labels through unchecked ("xn--a" is the control character U+0080).
    /// </summary>
    private static bool IsPunycodeOfSomething(string label)
    {
        if (!label.StartsWith("xn--", StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            var idn = new IdnMapping();
            var unicode = idn.GetUnicode(label);
            return unicode.EnumerateRunes().Any(r => !r.IsAscii)
                && unicode.EnumerateRunes().All(r => r.IsAscii ? char.IsAsciiLetterOrDigit((char)r.Value) || r.Value == '-' : IsVisible(r))
                && idn.GetAscii(unicode) == label;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsVisible(Rune rune) => Rune.GetUnicodeCategory(rune) is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        or UnicodeCategory.Surrogate or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    /// <summary>Letters, digits, hyphens; underscores too, since service names (_sip._tcp) are real names.</summary>
    private static bool IsHostName(string host)
    {
        var name = host.EndsWith('.') ? host[..^1] : host;
        return name.Length is > 0 and <= 253 && name.Split('.').All(label => HostLabel().IsMatch(label));
    }

    [GeneratedRegex(@"^(?!-)[a-z0-9_-]{1,63}(?<!-)$", RegexOptions.IgnoreCase)]
    private static partial Regex HostLabel();

    [GeneratedRegex(@"^\[([^\]]+)\](?::(\d+))?$")]
    private static partial Regex BracketedHost();

    [GeneratedRegex(@"^\d{1,3}$")]
    private static partial Regex PrefixDigits();

    [GeneratedRegex(@"^\d{1,5}$")]
    private static partial Regex PortDigits();
}
