using System.Collections.Concurrent;
using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// A blacklist (DNSBL) check. An address is asked of every IP list; a name is asked of every
/// domain list, and its addresses and its MX hosts' addresses of every IP list; a block's every
/// address of every IP list. Each question is an A query (never cached, paced per list); a
/// listing's TXT record gives the list's reason. The check fails when any list lists the target
/// (class <c>content</c>, code <c>LISTED</c>); when no list could be checked at all it fails with
/// code <see cref="Unchecked"/>, which the verdict reads as no information (VerdictRules).
/// </summary>
/// <remarks>
/// Nothing connects to the target, so the address policy does not apply: the lists are asked
/// about it, and a private address is merely never listed.
/// </remarks>
internal sealed class DnsblProbe(ProbeTarget target, ProbeExpect expect) : IProtocolProbe
{
    /// <summary>The error code of a check in which no list answered: no information either way.</summary>
    public const string Unchecked = DnsblOutcome.UncheckedCode;

    /// <summary>Queries in flight at once for one check; the pacer spaces them per list anyway.</summary>
    private const int Concurrency = 16;

    /// <summary>How many listing entries a result keeps (a block could name thousands): listed ones first.</summary>
    private const int MaxListings = 100;

    public async Task RunAsync(ProbeRun run)
    {
        var options = run.Options.Dnsbl;
        var lists = (expect.Lists ?? options.Lists).Select(DnsblLists.Get).ToList();
        run.Stage = ProbeStage.Dns;
        run.Activity = "asking the blacklists";
        run.RemoteAddress = (options.Resolver ?? run.Network.NameServers.FirstOrDefault())?.Address.ToString();

        var questions = new List<(DnsblList List, string Subject, string Name)>();
        var (addresses, domain) = await SubjectsAsync(run).ConfigureAwait(false);
        foreach (var list in lists)
        {
            var zone = DnsblLists.QueryZone(list.Zone, options.SpamhausDqsKey);
            if (list.Domains && domain is not null)
            {
                questions.Add((list, domain, DnsblQueryNames.ForDomain(domain, zone)));
            }
            else if (!list.Domains)
            {
                questions.AddRange(addresses.Select(address => (list, address.ToString(), DnsblQueryNames.ForAddress(address, zone))));
            }
        }

        if (questions.Count == 0)
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"none of the lists ({string.Join(", ", lists.Select(l => l.Zone))}) applies to this target: {(domain is null ? "addresses need IP lists" : "the name has no addresses, and domains need domain lists")}");
        }

        // Round robin over the lists: each list's pacer then has queries waiting while the others' do too,
        // so a block takes 256 / rate seconds, not that times the number of lists.
        var interleaved = questions.GroupBy(q => q.List.Zone, StringComparer.Ordinal)
            .SelectMany(list => list.Select((question, index) => (question, index)))
            .OrderBy(item => item.index)
            .Select(item => item.question)
            .ToList();
        var answers = new ConcurrentBag<DnsblListing>();
        await Parallel.ForEachAsync(interleaved, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (question, _) =>
            answers.Add(await AskAsync(run, question.List, question.Subject, question.Name).ConfigureAwait(false))).ConfigureAwait(false);
        run.MarkDns();

        var outcome = new DnsblOutcome([.. answers.OrderBy(a => a.List, StringComparer.Ordinal).ThenBy(a => a.Address, AddressOrder.Instance)]);
        run.Listings = outcome.Stored(target is ProbeTarget.Block, MaxListings);
        if (outcome.Failure() is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>The addresses to ask IP lists about, and the domain to ask domain lists about (a name target only).</summary>
    private async Task<(IReadOnlyList<IPAddress> Addresses, string? Domain)> SubjectsAsync(ProbeRun run)
    {
        switch (target)
        {
            case ProbeTarget.Block block:
                return (DnsblQueryNames.Expand(block), null);
            case ProbeTarget.Name name when IPAddress.TryParse(name.Value, out var address):
                return ([address], null);
            case ProbeTarget.Name name:
                run.Activity = $"resolving {name.Value} and its MX hosts";
                var addresses = new List<IPAddress>(await AddressesAsync(run, name.Value, QueryType.A).ConfigureAwait(false));
                addresses.AddRange(await AddressesAsync(run, name.Value, QueryType.AAAA).ConfigureAwait(false));
                foreach (var exchange in await MxHostsAsync(run, name.Value).ConfigureAwait(false))
                {
                    // An MX host that does not exist sends no mail: nothing to ask about, and not the target's absence.
                    addresses.AddRange(await AddressesAsync(run, exchange, QueryType.A, mustExist: false).ConfigureAwait(false));
                    addresses.AddRange(await AddressesAsync(run, exchange, QueryType.AAAA, mustExist: false).ConfigureAwait(false));
                }

                run.Activity = "asking the blacklists";
                return ([.. addresses.Distinct()], name.Value.TrimEnd('.'));
            default:
                throw new ProbeFailure(ErrorClass.Protocol, "a dnsbl monitor checks an address, a host or domain name, or an address block");
        }
    }

    private static async Task<IReadOnlyList<IPAddress>> AddressesAsync(ProbeRun run, string host, QueryType type, bool mustExist = true) =>
        [.. (await RecordsAsync(run, host, type, mustExist).ConfigureAwait(false)).OfType<AddressRecord>().Select(record => record.Address)];

    /// <summary>At most 10 MX hosts, most preferred first: a domain's outbound mail rarely leaves from more.</summary>
    private static async Task<IReadOnlyList<string>> MxHostsAsync(ProbeRun run, string domain) =>
        [.. (await RecordsAsync(run, domain, QueryType.MX).ConfigureAwait(false)).OfType<MxRecord>()
            .OrderBy(mx => mx.Preference).Select(mx => mx.Exchange.Value.TrimEnd('.')).Where(host => host.Length > 0).Distinct().Take(10)];

    /// <summary>
    /// The target's own records, from the probe's resolver. A target name that does not exist
    /// fails the check (the monitor points at nothing); a resolver failure makes the whole check
    /// learn nothing, since a check without some of the name's addresses would pass on half the evidence.
    /// </summary>
    private static async Task<IReadOnlyList<DnsResourceRecord>> RecordsAsync(ProbeRun run, string name, QueryType type, bool mustExist = true)
    {
        IDnsQueryResponse response;
        try
        {
            response = await run.Network.QueryAsync(new DnsQuestion(name, type), server: null, run.Token).ConfigureAwait(false);
        }
        catch (DnsResponseException error) when (!run.Token.IsCancellationRequested)
        {
            throw new ProbeFailure(ErrorClass.Dns, $"cannot resolve {name}: {DnsAnswerCodes.Describe(error).Message}; {DnsblOutcome.NoInformation}", Unchecked);
        }

        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            return mustExist ? throw new ProbeFailure(ErrorClass.Dns, $"{name} does not exist (NXDOMAIN)", "ENOTFOUND") : [];
        }

        if (response.HasError)
        {
            var (_, message) = DnsAnswerCodes.Describe((DnsResponseCode)response.Header.ResponseCode);
            throw new ProbeFailure(ErrorClass.Dns, $"cannot resolve {name}: {message}; {DnsblOutcome.NoInformation}", Unchecked);
        }

        return response.Answers;
    }

    /// <summary>One list's answer about one subject; every failure to get one is "could not check", never "listed".</summary>
    private static async Task<DnsblListing> AskAsync(ProbeRun run, DnsblList list, string subject, string name)
    {
        var address = IPAddress.TryParse(subject, out _) ? subject : null;
        DnsblListing Unknown(string why) => new(list.Zone, address, null, Meaning: why);
        try
        {
            await run.Options.Dnsbl.Pacer.WaitAsync(list.Zone, run.Token).ConfigureAwait(false);
            var response = await run.Network.QueryAsync(new DnsQuestion(name, QueryType.A), run.Options.Dnsbl.Resolver, run.Token).ConfigureAwait(false);
            var code = response.Header.ResponseCode;
            if (code == DnsHeaderResponseCode.NotExistentDomain)
            {
                return new DnsblListing(list.Zone, address, false);
            }

            if (response.HasError)
            {
                return Unknown($"the query failed: {DnsAnswerCodes.Describe((DnsResponseCode)code).Message}");
            }

            var answers = response.Answers.ARecords().Select(record => record.Address).ToList();
            var (listed, meaning) = list.Read(answers);
            if (listed != true)
            {
                return listed is null ? Unknown($"the list {meaning}") : new DnsblListing(list.Zone, address, false);
            }

            var codes = string.Join(", ", answers.Select(a => a.ToString()).Distinct(StringComparer.Ordinal));
            return new DnsblListing(list.Zone, address, true, codes, meaning, await ReasonAsync(run, list, name).ConfigureAwait(false), list.DelistUrl);
        }
        catch (Exception error) when (error is DnsResponseException or OperationCanceledException or System.Net.Sockets.SocketException && (run.TimedOut || !run.Token.IsCancellationRequested))
        {
            return Unknown(run.TimedOut ? "no answer before the check's deadline" : $"the query failed: {DnsAnswerCodes.Describe(error).Message}");
        }
    }

    /// <summary>The list's TXT reason: a help, not a condition, so its failure loses only the text.</summary>
    private static async Task<string?> ReasonAsync(ProbeRun run, DnsblList list, string name)
    {
        try
        {
            await run.Options.Dnsbl.Pacer.WaitAsync(list.Zone, run.Token).ConfigureAwait(false);
            var response = await run.Network.QueryAsync(new DnsQuestion(name, QueryType.TXT), run.Options.Dnsbl.Resolver, run.Token).ConfigureAwait(false);
            var texts = response.Answers.TxtRecords().Select(record => string.Concat(record.Text)).Where(text => text.Length > 0).ToList();
            return texts.Count == 0 ? null : Excerpt.Of(string.Join(" ", texts), 300);
        }
        catch (Exception error) when (error is DnsResponseException or OperationCanceledException or System.Net.Sockets.SocketException && (run.TimedOut || !run.Token.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Addresses in numeric order, domains (no address) first.</summary>
    private sealed class AddressOrder : IComparer<string?>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            var a = IPAddress.Parse(x).GetAddressBytes();
            var b = IPAddress.Parse(y).GetAddressBytes();
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.AsSpan().SequenceCompareTo(b);
        }
    }
}
