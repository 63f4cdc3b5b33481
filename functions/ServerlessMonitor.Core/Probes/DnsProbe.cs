using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// A DNS monitor: the name resolves for a record type, at the probe's resolver or at a given
/// server, and one answer contains the expected value. When the monitor names its own server,
/// that server is the target: its silence, refusal or SERVFAIL is the target failing, so those
/// failures carry no resolver code (the cycle reads resolver codes as our fault).
/// </summary>
/// <remarks>
/// The address policy applies here too: the server must be an address monitors may reach, and a
/// name must not be a way to map the inside — loopback names, reverse lookups of internal
/// addresses, and A/AAAA answers that point inside are refused with class <c>blocked</c> (and
/// such answers are not reported).
/// </remarks>
internal sealed class DnsProbe(ProbeTarget.Name target, ProbeExpect expect) : IProtocolProbe
{
    private static readonly Dictionary<string, QueryType> RecordTypes = new(StringComparer.Ordinal)
    {
        ["A"] = QueryType.A,
        ["AAAA"] = QueryType.AAAA,
        ["CNAME"] = QueryType.CNAME,
        ["MX"] = QueryType.MX,
        ["NS"] = QueryType.NS,
        ["TXT"] = QueryType.TXT,
        ["SOA"] = QueryType.SOA,
        ["SRV"] = QueryType.SRV,
        ["CAA"] = QueryType.CAA,
        ["PTR"] = QueryType.PTR,
    };

    public async Task RunAsync(ProbeRun run)
    {
        var typeName = expect.RecordType ?? "A";
        if (!RecordTypes.TryGetValue(typeName, out var type))
        {
            throw new ProbeFailure(ErrorClass.Protocol, $"unknown record type \"{typeName}\"; one of {string.Join(", ", RecordTypes.Keys)}");
        }

        var server = Server(run);
        var name = target.Value;
        var question = QuestionFor(run, name, type);
        run.Stage = ProbeStage.Dns;
        run.Activity = $"querying {typeName} records of {name}";
        IDnsQueryResponse response;
        try
        {
            response = await run.Network.QueryAsync(question, server, run.Token).ConfigureAwait(false);
        }
        catch (DnsResponseException) when (run.Token.IsCancellationRequested)
        {
            // DnsClient reports a cancelled query as a timeout of its own; the probe's deadline decides what it was.
            throw new OperationCanceledException(run.Token);
        }
        catch (DnsResponseException error)
        {
            var (code, message) = DnsAnswerCodes.Describe(error);
            throw Failure(code, message, name, typeName, server);
        }
        finally
        {
            run.MarkDns();
        }

        if (response.HasError)
        {
            var (code, message) = DnsAnswerCodes.Describe((DnsResponseCode)response.Header.ResponseCode);
            throw Failure(code, message, name, typeName, server);
        }

        var records = response.Answers.Where(record => (int)record.RecordType == (int)type).ToList();
        if (records.Count == 0)
        {
            throw new ProbeFailure(ErrorClass.Dns, $"{name} has no {typeName} records", "ENODATA");
        }

        CheckAddresses(run, name, records);
        run.Answers = [.. records.Select(Format)];
        if (expect.Value is { } value && !run.Answers.Any(answer => answer.Contains(value, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ProbeFailure(ErrorClass.Content, $"no {typeName} record of {name} contains \"{value}\"");
        }
    }

    /// <summary>The monitor's own server (checked by the address policy), or null for the probe's resolver.</summary>
    private IPEndPoint? Server(ProbeRun run)
    {
        if (expect.Server is not { } text)
        {
            run.RemoteAddress = run.Network.NameServers.FirstOrDefault()?.Address.ToString();
            return null;
        }

        var server = DnsServerAddress.Parse(text) ?? throw new ProbeFailure(ErrorClass.Dns, $"\"{text}\" is not a DNS server address (ip or ip:port)");
        run.RemoteAddress = server.Address.ToString();
        if (AddressPolicy.BlockedReason(server.Address, run.Options.AllowPrivateTargets) is { } reason)
        {
            throw new ProbeFailure(ErrorClass.Blocked, $"the DNS server {server.Address} is a {reason} address that monitors may not probe");
        }

        run.ResolverIsTarget = true;
        return server;
    }

    private static DnsQuestion QuestionFor(ProbeRun run, string name, QueryType type)
    {
        if (NameLookup.IsLocalhost(name))
        {
            Refuse(run, name, IPAddress.Loopback);
        }

        if (IPAddress.TryParse(name, out var address))
        {
            Refuse(run, name, address);
            return new DnsQuestion(type == QueryType.PTR ? address.GetArpaName() : name, type);
        }

        if (ReverseName.Address(name) is { } reversed)
        {
            Refuse(run, name, reversed);
        }

        return new DnsQuestion(name, type);
    }

    private static void CheckAddresses(ProbeRun run, string name, List<DnsResourceRecord> records)
    {
        foreach (var record in records.OfType<AddressRecord>())
        {
            Refuse(run, $"{name} resolves to {record.Address}, which", record.Address);
        }
    }

    private static void Refuse(ProbeRun run, string subject, IPAddress address)
    {
        if (AddressPolicy.BlockedReason(address, run.Options.AllowPrivateTargets) is { } reason)
        {
            throw new ProbeFailure(ErrorClass.Blocked, $"{subject} is a {reason} address that monitors may not look up");
        }
    }

    private static ProbeFailure Failure(string code, string message, string name, string type, IPEndPoint? server) => code switch
    {
        "ENOTFOUND" => new ProbeFailure(ErrorClass.Dns, $"{name} does not exist (NXDOMAIN)", code),
        _ when server is null => new ProbeFailure(ErrorClass.Dns, $"cannot query {type} records of {name}: {message}", code),
        "ECONNREFUSED" => new ProbeFailure(ErrorClass.Connect, $"the DNS server {server} refused the query (nothing listens there)", code),
        "ETIMEOUT" => new ProbeFailure(ErrorClass.Timeout, $"the DNS server {server} did not answer"),
        _ => new ProbeFailure(ErrorClass.Dns, $"the DNS server {server} failed: {message}"),
    };

    /// <summary>Answers as dig prints them, without the root's trailing dot.</summary>
    private static string Format(DnsResourceRecord record) => record switch
    {
        AddressRecord address => address.Address.ToString(),
        CNameRecord cname => Bare(cname.CanonicalName),
        NsRecord ns => Bare(ns.NSDName),
        PtrRecord ptr => Bare(ptr.PtrDomainName),
        MxRecord mx => $"{mx.Preference} {Bare(mx.Exchange)}",
        TxtRecord txt => string.Concat(txt.Text),
        SrvRecord srv => $"{srv.Priority} {srv.Weight} {srv.Port} {Bare(srv.Target)}",
        CaaRecord caa => $"{caa.Flags} {caa.Tag} \"{caa.Value}\"",
        SoaRecord soa => string.Create(CultureInfo.InvariantCulture, $"{Bare(soa.MName)} {Bare(soa.RName)} {soa.Serial} {soa.Refresh} {soa.Retry} {soa.Expire} {soa.Minimum}"),
        _ => record.ToString(),
    };

    private static string Bare(DnsString name) => name.Value.TrimEnd('.');
}
