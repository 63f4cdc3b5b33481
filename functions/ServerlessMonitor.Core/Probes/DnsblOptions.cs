using System.Net;

namespace ServerlessMonitor.Core.Probes;

/// <summary>How a deployment checks blacklists (the SM_DNSBL_* settings).</summary>
public sealed record DnsblOptions
{
    /// <summary>Queries a second to one list from one instance, when no setting says otherwise.</summary>
    public const int DefaultQueriesPerSecond = 10;

    /// <summary>SM_DNSBL_LISTS: the lists a monitor without <c>expect.lists</c> is checked against.</summary>
    public IReadOnlyList<string> Lists { get; init; } = DnsblLists.Defaults;

    /// <summary>SM_DNSBL_RESOLVER: the resolver list queries go to; null: the probes' own resolver.</summary>
    public IPEndPoint? Resolver { get; init; }

    /// <summary>SM_SPAMHAUS_DQS_KEY: the Data Query Service key the Spamhaus zones are queried with.</summary>
    public string? SpamhausDqsKey { get; init; }

    /// <summary>SM_DNSBL_QUERIES_PER_SECOND, shared by every probe of the process.</summary>
    public DnsblPacer Pacer { get; init; } = new(DefaultQueriesPerSecond, TimeProvider.System);
}
