using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ServerlessMonitor.Functions.Http;

/// <summary>
/// A route's strict query: only the keys it names, each given once. Every problem is a 400
/// naming its field.
/// </summary>
public sealed class StrictQuery
{
    private readonly IQueryCollection query;

    private StrictQuery(IQueryCollection query) => this.query = query;

    public static StrictQuery Read(HttpRequest request, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(request);
        var unknown = request.Query.Keys.Where(k => !keys.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return unknown.Count > 0
            ? throw ApiProblem.Invalid($"unknown query parameter{(unknown.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", unknown)}", null)
            : new StrictQuery(request.Query);
    }

    /// <summary>The value, or null when absent.</summary>
    public string? Single(string name) =>
        query.TryGetValue(name, out var values) ? (values.Count == 1 ? values[0] : throw ApiProblem.Invalid("give it once", name)) : null;

    /// <summary>A whole number in [min, max], or <paramref name="fallback"/> when absent.</summary>
    public int Integer(string name, int min, int max, int fallback) =>
        Single(name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw ApiProblem.Invalid($"expected a whole number from {min} to {max}", name);
}
