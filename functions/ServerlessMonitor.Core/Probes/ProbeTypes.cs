namespace ServerlessMonitor.Core.Probes;

/// <summary>Names and default ports of the monitor types, as the API and the TypeScript engine spell them.</summary>
public static class ProbeTypes
{
    public static IReadOnlyList<ProbeType> All { get; } = Enum.GetValues<ProbeType>();

    /// <summary>The type's name in the API: lower case (`pop3`, `https`).</summary>
    public static string Name(this ProbeType type) => type.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out ProbeType type)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), text, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>
    /// The port a host:port target uses when it gives none; null when the target must give one
    /// (tcp) or is not host:port at all (http, https, dns). Ping's 443 is only its first try.
    /// </summary>
    public static int? DefaultPort(this ProbeType type) => type switch
    {
        ProbeType.Ping => 443,
        ProbeType.Ftp => 21,
        ProbeType.Smtp => 25,
        ProbeType.Pop3 => 110,
        ProbeType.Imap => 143,
        ProbeType.Telnet => 23,
        ProbeType.Ssh => 22,
        _ => null,
    };
}
