using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessMonitor.Functions.Http;

namespace ServerlessMonitor.Functions.Results;

/// <summary>
/// The strict query of the history routes: only the keys a route names, each once; times
/// ISO-8601 with an offset; the window defaults to <c>span</c> before <c>to</c> (default now)
/// and may not end before it starts. Every problem is a 400 naming its field.
/// </summary>
public sealed partial class HistoryQuery
{
    private readonly IQueryCollection query;

    private HistoryQuery(IQueryCollection query, DateTimeOffset from, DateTimeOffset to)
    {
        this.query = query;
        From = from;
        To = to;
    }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public static HistoryQuery Read(HttpRequest request, DateTimeOffset now, TimeSpan span, params string[] extraKeys)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        var known = new HashSet<string>(["from", "to", .. extraKeys], StringComparer.Ordinal);
        var unknown = query.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw ApiProblem.Invalid($"unknown query parameter{(unknown.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", unknown)}", null);
        }

        var to = Time(query, "to") ?? now;
        var from = Time(query, "from") ?? to - span;
        return from > to ? throw ApiProblem.Invalid("`from` is after `to`", "from") : new HistoryQuery(query, from, to);
    }

    /// <summary>A region name, or null when absent.</summary>
    public string? Region()
    {
        var region = Single(query, "region");
        return region is null || RegionName().IsMatch(region) ? region : throw ApiProblem.Invalid("not a region name", "region");
    }

    /// <summary>A whole number in [min, max], or <paramref name="fallback"/> when absent.</summary>
    public int Integer(string name, int min, int max, int fallback) =>
        Single(query, name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw ApiProblem.Invalid($"expected a whole number from {min} to {max}", name);

    private static DateTimeOffset? Time(IQueryCollection query, string name) =>
        Single(query, name) is not { } text ? null
        : IsoTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at
        : throw ApiProblem.Invalid("expected an ISO-8601 time with an offset, e.g. 2026-11-29T12:00:00Z", name);

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? (values.Count == 1 ? values[0] : throw ApiProblem.Invalid("give it once", name)) : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoTime();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex RegionName();
}
