using System.Text.Json;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// A monitor's <c>expect</c>, strict per type: every field is read with its limits, then the
/// probe engine's own rule (<see cref="ProbeExpect.MisplacedFields"/>) refuses fields its type
/// would ignore, so no check the user believes in goes unmade.
/// </summary>
internal static class ExpectInput
{
    private static readonly string[] Fields =
        ["status", "keyword", "absent", "maxRedirects", "certificateWarningDays", "send", "receive", "recordType", "server", "value", "banner", "tls", "lists"];

    private static readonly string[] RecordTypes = ["A", "AAAA", "CNAME", "MX", "NS", "TXT", "SOA", "SRV", "CAA", "PTR"];

    private static readonly Dictionary<string, MailTls> TlsModes = new(StringComparer.Ordinal)
    {
        ["implicit"] = MailTls.Implicit,
        ["starttls"] = MailTls.Starttls,
        ["auto"] = MailTls.Auto,
        ["off"] = MailTls.Off,
    };

    public static ProbeExpect Parse(ProbeType type, JsonElement value)
    {
        const string at = "expect";
        var fields = JsonFields.Of(value, at).Strict(Fields, type.Name());
        var expect = new ProbeExpect
        {
            Status = fields.Array("status", 1, 50, (e, path) => JsonFields.IntegerOf(e, 100, 599, path)),
            Keyword = fields.String("keyword", 1, 500),
            Absent = fields.String("absent", 1, 500),
            MaxRedirects = fields.Integer("maxRedirects", 0, 10),
            CertificateWarningDays = fields.Integer("certificateWarningDays", 0, 365),
            Send = fields.String("send", 1, 1000),
            Receive = fields.String("receive", 1, 500),
            RecordType = OneOf(fields, "recordType", RecordTypes),
            Server = Server(fields),
            Value = fields.String("value", 1, 500),
            Banner = fields.String("banner", 1, 200),
            Tls = OneOf(fields, "tls", TlsModes.Keys.ToArray()) is { } tls ? TlsModes[tls] : null,
            Lists = Lists(fields),
        };
        var misplaced = expect.MisplacedFields(type);
        return misplaced.Count == 0
            ? expect
            : throw Refusal.Invalid($"unknown field{(misplaced.Count > 1 ? "s" : string.Empty)} for {type.Name()}: {string.Join(", ", misplaced)}", at);
    }

    private static string? OneOf(JsonFields fields, string name, string[] allowed) =>
        fields.String(name) is not { } text ? null
        : allowed.Contains(text, StringComparer.Ordinal) ? text
        : throw Refusal.Invalid($"must be one of {string.Join(", ", allowed)}", fields.PathOf(name));

    /// <summary>Blacklist zones: 1–20 domain names, lower-cased, repeats dropped.</summary>
    private static IReadOnlyList<string>? Lists(JsonFields fields) =>
        fields.Array("lists", 1, MonitorLimits.MaxDnsblLists, (value, path) =>
            MonitorTarget.Normalize(ProbeType.Dns, JsonFields.StringOf(value, path), out _) is { } zone && !System.Net.IPAddress.TryParse(zone.Stored, out _) && zone.Stored.Contains('.', StringComparison.Ordinal)
                ? zone.Stored
                : throw Refusal.Invalid("expected a blacklist zone such as zen.spamhaus.org", path)) is { } zones
            ? [.. zones.Distinct(StringComparer.Ordinal)]
            : null;

    /// <summary>A resolver address: the probe asks it directly, so it must be one (a name would need a resolver of its own).</summary>
    private static string? Server(JsonFields fields) =>
        fields.String("server", 1, 60) is not { } text ? null
        : DnsServerAddress.Parse(text) is not null ? text
        : throw Refusal.Invalid("expected a resolver address: ip, ip:port or [v6]:port", fields.PathOf("server"));
}
