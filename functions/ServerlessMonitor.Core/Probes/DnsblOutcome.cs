namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// What a blacklist check's answers add up to: failing when any list that could be checked lists
/// the target, no information when no list could be checked, passing otherwise.
/// </summary>
public sealed class DnsblOutcome(IReadOnlyList<DnsblListing> listings)
{
    /// <summary>The error code of a check that learnt nothing: every list (or the target's own resolution) failed to answer.</summary>
    public const string UncheckedCode = "EDNSBL_UNCHECKED";

    /// <summary>The error code of a listing.</summary>
    public const string ListedCode = "LISTED";

    public const string NoInformation = "no information either way";

    /// <summary>How many listings an alert's message spells out; the results show them all.</summary>
    private const int InMessage = 3;

    public IReadOnlyList<DnsblListing> Listings { get; } = listings;

    /// <summary>True for the error of a check that learnt nothing: it neither opens nor closes an incident.</summary>
    public static bool IsNoInformation(ProbeError? error) => error?.Code == UncheckedCode;

    /// <summary>The check's failure, or null when it passed.</summary>
    internal ProbeFailure? Failure()
    {
        var listed = Listings.Where(l => l.Listed == true).ToList();
        if (listed.Count > 0)
        {
            var named = string.Join("; ", listed.Take(InMessage).Select(Describe));
            var more = listed.Count > InMessage ? $"; and {listed.Count - InMessage} more listing(s)" : string.Empty;
            return new ProbeFailure(ErrorClass.Content, named + more, ListedCode);
        }

        if (Listings.Count > 0 && Listings.All(l => l.Listed is null))
        {
            var why = Listings.Select(l => $"{l.List} {l.Meaning}").Distinct(StringComparer.Ordinal).Take(InMessage);
            return new ProbeFailure(ErrorClass.Dns, $"no list could be checked ({string.Join("; ", why)}): {NoInformation}", UncheckedCode);
        }

        return null;
    }

    /// <summary>
    /// The listings a result keeps: all of them for one address or name; for a block, the listed
    /// and unchecked addresses and one entry per list for the rest, at most <paramref name="max"/>
    /// entries, listed ones first.
    /// </summary>
    public IReadOnlyList<DnsblListing> Stored(bool block, int max)
    {
        if (!block)
        {
            return Listings;
        }

        var kept = new List<DnsblListing>();
        foreach (var list in Listings.GroupBy(l => l.List, StringComparer.Ordinal))
        {
            var named = list.Where(l => l.Listed != false).ToList();
            var clean = list.Count() - named.Count;
            if (named.Count == list.Count() && named.All(l => l.Listed is null))
            {
                // The list answered nothing about any address: once is enough.
                kept.Add(named[0] with { Address = null });
                continue;
            }

            kept.AddRange(named);
            if (clean > 0)
            {
                kept.Add(new DnsblListing(list.Key, null, false, Meaning: $"{clean} address(es) of the block not listed"));
            }
        }

        return [.. kept.OrderBy(l => l.Listed == true ? 0 : 1).Take(max)];
    }

    /// <summary>"192.0.2.1 is listed on zen.spamhaus.org: 127.0.0.2 (SBL: …), "reason"; delist: url".</summary>
    public static string Describe(DnsblListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var subject = listing.Address ?? "the domain";
        var meaning = listing.Meaning is null ? string.Empty : $" ({listing.Meaning})";
        var reason = listing.Reason is null ? string.Empty : $", \"{listing.Reason}\"";
        var delist = listing.DelistUrl is null ? string.Empty : $"; delist: {listing.DelistUrl}";
        return $"{subject} is listed on {listing.List}: {listing.Code}{meaning}{reason}{delist}";
    }
}
