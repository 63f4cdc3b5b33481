using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// One list's answer about one address or domain (shared/API.md, dnsbl results' <c>listings</c>).
/// <see cref="Listed"/> null: the list could not be checked (refused, SERVFAIL, no answer), which
/// is neither listed nor clean. For a block, the addresses no list named are folded into one entry
/// per list without an address.
/// </summary>
/// <param name="Code">The A answer(s), e.g. 127.0.0.2.</param>
/// <param name="Meaning">What the code means on this list (SBL, XBL, PBL, …), or why the list could not be checked.</param>
/// <param name="Reason">The list's TXT record for a listing: its own words, often with a link.</param>
public sealed record DnsblListing(
    string List,
    string? Address,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool? Listed,
    string? Code = null, string? Meaning = null, string? Reason = null, string? DelistUrl = null);
