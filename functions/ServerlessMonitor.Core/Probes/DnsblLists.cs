namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// The blacklists this deployment knows by name, and the default set (docs/MONITORS.md, "DNS
/// blacklists", says why these). A zone not known here is queried as an IP list whose 127/8
/// answers mean listed.
/// </summary>
public static class DnsblLists
{
    private const string SpamhausLookup = "https://check.spamhaus.org/";

    public static IReadOnlyList<DnsblList> Known { get; } =
    [
        new("zen.spamhaus.org", Domains: false, SpamhausLookup, new Dictionary<string, string>
        {
            ["127.0.0.2"] = "SBL: Spamhaus Block List, a known spam source or spam operation",
            ["127.0.0.3"] = "SBL CSS: snowshoe spam, low-reputation sender",
            ["127.0.0.4"] = "XBL: exploited or infected host (CBL)",
            ["127.0.0.5"] = "XBL: exploited or infected host",
            ["127.0.0.6"] = "XBL: exploited or infected host",
            ["127.0.0.7"] = "XBL: exploited or infected host",
            ["127.0.0.9"] = "SBL DROP: hijacked or leased-to-spammers network",
            ["127.0.0.10"] = "PBL: end-user address range that should not send mail directly (ISP-maintained)",
            ["127.0.0.11"] = "PBL: end-user address range that should not send mail directly (Spamhaus-maintained)",
        }),
        new("dbl.spamhaus.org", Domains: true, SpamhausLookup, new Dictionary<string, string>
        {
            ["127.0.1.2"] = "DBL: spam domain",
            ["127.0.1.4"] = "DBL: phishing domain",
            ["127.0.1.5"] = "DBL: malware domain",
            ["127.0.1.6"] = "DBL: botnet command and control domain",
            ["127.0.1.102"] = "DBL: abused legitimate domain used in spam",
            ["127.0.1.103"] = "DBL: abused legitimate spammed redirector",
            ["127.0.1.104"] = "DBL: abused legitimate domain used in phishing",
            ["127.0.1.105"] = "DBL: abused legitimate domain used for malware",
            ["127.0.1.106"] = "DBL: abused legitimate domain used for botnet command and control",
        }),
        new("bl.spamcop.net", Domains: false, "https://www.spamcop.net/bl.shtml", new Dictionary<string, string>
        {
            ["127.0.0.2"] = "SpamCop: reported as a spam source by SpamCop users",
        }),
        new("b.barracudacentral.org", Domains: false, "https://www.barracudacentral.org/rbl/removal-request", new Dictionary<string, string>
        {
            ["127.0.0.2"] = "Barracuda: poor sending reputation",
        }),
        new("psbl.surriel.com", Domains: false, "https://psbl.org/remove", new Dictionary<string, string>
        {
            ["127.0.0.2"] = "PSBL: sent mail to spam traps",
        }),
        new("bl.mailspike.net", Domains: false, "https://mailspike.org/anubis/lookup.html", new Dictionary<string, string>
        {
            ["127.0.0.2"] = "Mailspike: worst reputation, a known spam source",
            ["127.0.0.10"] = "Mailspike: very bad reputation",
            ["127.0.0.11"] = "Mailspike: bad reputation",
            ["127.0.0.12"] = "Mailspike: poor reputation",
        }),
        new("multi.surbl.org", Domains: true, "https://www.surbl.org/surbl-analysis", new Dictionary<string, string>
        {
            ["bit 8"] = "SURBL PH: phishing",
            ["bit 16"] = "SURBL MW: malware",
            ["bit 64"] = "SURBL ABUSE: spam and abuse",
            ["bit 128"] = "SURBL CR: cracked site",
        }, Bitmask: true, Refusals: ["127.0.0.1"]),
        new("multi.uribl.com", Domains: true, "https://admin.uribl.com/", new Dictionary<string, string>
        {
            ["bit 2"] = "URIBL black: domain seen in spam",
            ["bit 4"] = "URIBL grey: domain seen in bulk mail",
            ["bit 8"] = "URIBL red: domain seen in spam from new registrations",
        }, Bitmask: true, Refusals: ["127.0.0.1"]),
    ];

    /// <summary>The default set: well-run, free for modest volumes, and each with a removal process that needs no payment.</summary>
    public static IReadOnlyList<string> Defaults { get; } =
        ["zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org", "psbl.surriel.com", "bl.mailspike.net", "dbl.spamhaus.org", "multi.surbl.org", "multi.uribl.com"];

    /// <summary>The Spamhaus zones and their Data Query Service names (<c>&lt;key&gt;.zen.dq.spamhaus.net</c>).</summary>
    private static readonly Dictionary<string, string> SpamhausDqs = new(StringComparer.Ordinal)
    {
        ["zen.spamhaus.org"] = "zen.dq.spamhaus.net",
        ["dbl.spamhaus.org"] = "dbl.dq.spamhaus.net",
        ["zrd.spamhaus.org"] = "zrd.dq.spamhaus.net",
        ["sbl.spamhaus.org"] = "sbl.dq.spamhaus.net",
        ["xbl.spamhaus.org"] = "xbl.dq.spamhaus.net",
        ["pbl.spamhaus.org"] = "pbl.dq.spamhaus.net",
    };

    public static DnsblList Get(string zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var name = zone.TrimEnd('.').ToLowerInvariant();
        return Known.FirstOrDefault(list => list.Zone == name) ?? DnsblList.Unknown(name);
    }

    /// <summary>
    /// The zone queries go to: with a Data Query Service key, a Spamhaus zone's DQS name (Spamhaus
    /// refuses the public mirrors to cloud and public resolvers); any other zone as it is.
    /// </summary>
    public static string QueryZone(string zone, string? dqsKey) =>
        dqsKey is { Length: > 0 } && SpamhausDqs.TryGetValue(zone, out var dqs) ? $"{dqsKey}.{dqs}" : zone;
}
