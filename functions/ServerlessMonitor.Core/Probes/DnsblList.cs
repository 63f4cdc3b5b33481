using System.Net;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// One blacklist: its zone, whether it lists addresses or domains, where a listed operator asks
/// for removal, what its return codes mean, and which answers are its way of refusing a query.
/// </summary>
/// <param name="Zone">The public zone, as users name it (zen.spamhaus.org).</param>
/// <param name="Domains">True for a right-hand-side list (domains), false for an IP list.</param>
/// <param name="Meanings">Return code (127.0.0.2) → what it means; codes not here are "listed" without a name.</param>
/// <param name="Bitmask">The list answers 127.0.0.x where each bit of x is a sub-list (SURBL, URIBL); <see cref="Meanings"/> then names bits.</param>
/// <param name="Refusals">Answers that mean "your query was refused" (public resolver, over quota), beside 127.255.255.0/24.</param>
public sealed record DnsblList(
    string Zone,
    bool Domains,
    string? DelistUrl,
    IReadOnlyDictionary<string, string> Meanings,
    bool Bitmask = false,
    IReadOnlyList<string>? Refusals = null)
{
    /// <summary>A zone this deployment has no knowledge of: an IP list whose 127.0.0.0/8 answers (but 127.255.255.x) mean listed.</summary>
    public static DnsblList Unknown(string zone) => new(zone, Domains: false, DelistUrl: null, Meanings: new Dictionary<string, string>());

    /// <summary>What an A answer of this list says: listed (with the codes' meanings), or that it could not be checked (and why).</summary>
    public (bool? Listed, string? Meaning) Read(IReadOnlyList<IPAddress> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Count == 0)
        {
            return (false, null);
        }

        foreach (var answer in answers)
        {
            var bytes = answer.GetAddressBytes();
            if (bytes.Length != 4 || bytes[0] != 127)
            {
                // A resolver that rewrites NXDOMAIN to an advertising page, or a list gone rogue: no list answers outside 127/8.
                return (null, $"answered {answer}, which is not a blacklist answer (a resolver rewriting answers?)");
            }

            if ((bytes[1] == 255 && bytes[2] == 255) || (Refusals?.Contains(answer.ToString()) ?? false))
            {
                return (null, $"refused the query ({answer}: {RefusalMeaning(bytes)})");
            }
        }

        var meanings = answers.Select(answer => Meaning(answer)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return (true, meanings.Count == 0 ? null : string.Join("; ", meanings));
    }

    private string? Meaning(IPAddress answer)
    {
        var code = answer.ToString();
        if (Meanings.TryGetValue(code, out var meaning))
        {
            return meaning;
        }

        if (!Bitmask)
        {
            return null;
        }

        var last = answer.GetAddressBytes()[3];
        var bits = Enumerable.Range(1, 7).Select(bit => 1 << bit).Where(bit => (last & bit) != 0)
            .Select(bit => Meanings.GetValueOrDefault($"bit {bit}")).OfType<string>().ToList();
        return bits.Count == 0 ? null : string.Join(", ", bits);
    }

    /// <summary>Spamhaus's error codes, which other lists have copied.</summary>
    private static string RefusalMeaning(byte[] bytes) => (bytes[1], bytes[2], bytes[3]) switch
    {
        (255, 255, 252) => "the list name is mistyped or not served to this resolver",
        (255, 255, 254) => "queries through a public or open resolver are not answered",
        (255, 255, 255) => "too many queries from this resolver",
        (255, 255, _) => "an error answer of the list",
        _ => "the list refuses queries from this resolver or over its free quota",
    };
}
