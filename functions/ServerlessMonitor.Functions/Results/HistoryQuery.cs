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
    private HistoryQuery(StrictQuery query, DateTimeOffset from, DateTimeOffset to)
    {
        Query = query;
        From = from;
        To = to;
    }

    /// <summary>The route's other keys.</summary>
    public StrictQuery Query { get; }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public static HistoryQuery Read(HttpRequest request, DateTimeOffset now, TimeSpan span, params string[] extraKeys)
    {
        var query = StrictQuery.Read(request, ["from", "to", .. extraKeys]);
        var to = Time(query, "to") ?? now;
        var from = Time(query, "from") ?? to - span;
        return from > to ? throw ApiProblem.Invalid("`from` is after `to`", "from") : new HistoryQuery(query, from, to);
    }

    /// <summary>A region name, or null when absent.</summary>
    public string? Region()
    {
        var region = Query.Single("region");
        return region is null || RegionName().IsMatch(region) ? region : throw ApiProblem.Invalid("not a region name", "region");
    }

    private static DateTimeOffset? Time(StrictQuery query, string name) =>
        query.Single(name) is not { } text ? null
        : IsoTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at
        : throw ApiProblem.Invalid("expected an ISO-8601 time with an offset, e.g. 2026-11-29T12:00:00Z", name);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoTime();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex RegionName();
}
