using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Cli;

/// <summary>How `sm probe` prints a result: a summary for people, or the API's result JSON.</summary>
internal static class ProbeReport
{
    /// <summary>The result as the results API serves it, stamped like a cycle's row (at, region) and saying what was probed.</summary>
    public static string Json(ProbeInvocation invocation, DateTimeOffset at, ProbeResult result)
    {
        var document = new JsonObject
        {
            ["at"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["region"] = invocation.Region,
            ["type"] = invocation.Spec.Type.Name(),
            ["target"] = invocation.Spec.Target,
        };
        if (invocation.Spec.Type == ProbeType.Ping)
        {
            document["method"] = "tcp-connect";
        }

        foreach (var (name, value) in JsonNode.Parse(ProbeJson.Serialize(result))!.AsObject().ToList())
        {
            document[name] = value?.DeepClone();
        }

        return document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    public static string Summary(ProbeInvocation invocation, ProbeResult result)
    {
        var spec = invocation.Spec;
        var kind = spec.Type == ProbeType.Ping ? "ping, as a TCP connect" : spec.Type.Name();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{spec.Target} ({kind}, timeout {spec.Timeout.TotalSeconds:0.###} s)\n");
        Row(text, "result", result.Ok ? "ok" : $"FAILED — {result.Error!.Class.ToString().ToLowerInvariant()}: {result.Error.Message}{(result.Error.Code is { } code ? $" [{code}]" : "")}");
        Row(text, "status", result.Status?.ToString(CultureInfo.InvariantCulture));
        Row(text, "address", result.RemoteAddress);
        Row(text, "server", result.Server);
        Row(text, "certificate", result.Certificate is { } certificate
            ? $"{certificate.Subject}, expires {certificate.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({certificate.DaysLeft} days), sha256 {certificate.Sha256}"
            : null);
        Row(text, "warning", result.Warning);
        Row(text, "answers", result.Answers is { } answers ? string.Join(", ", answers) : null);
        foreach (var listing in result.Listings ?? [])
        {
            Row(text, "list", Listing(listing));
        }

        text.Append("  phases, ms from the start (as curl -w):\n");
        Row(text, "dns", Milliseconds(result.Phases.Dns));
        Row(text, "connect", Milliseconds(result.Phases.Connect));
        Row(text, "tls", Milliseconds(result.Phases.Tls));
        Row(text, "first byte", Milliseconds(result.Phases.FirstByte));
        Row(text, "total", Milliseconds(result.Phases.Total));
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>"zen.spamhaus.org 192.0.2.1: LISTED 127.0.0.2 (SBL: …) "reason" delist: url", "not listed" or "could not check (why)".</summary>
    private static string Listing(DnsblListing l)
    {
        var subject = l.Address is null ? l.List : $"{l.List} {l.Address}";
        return l.Listed switch
        {
            true => $"{subject}: LISTED {l.Code}{(l.Meaning is null ? "" : $" ({l.Meaning})")}{(l.Reason is null ? "" : $" \"{l.Reason}\"")}{(l.DelistUrl is null ? "" : $" delist: {l.DelistUrl}")}",
            false => $"{subject}: not listed{(l.Meaning is null ? "" : $" ({l.Meaning})")}",
            null => $"{subject}: could not check ({l.Meaning})",
        };
    }

    private static void Row(StringBuilder text, string name, string? value)
    {
        if (value is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name,-12}{value}\n");
        }
    }

    private static string Milliseconds(double? value) =>
        value is { } ms ? ms.ToString("0.000", CultureInfo.InvariantCulture) + " ms" : "—";
}
