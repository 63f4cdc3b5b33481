using System.Text.RegularExpressions;

namespace ServerlessMonitor.Core.StatusPages;

/// <summary>
/// A page's address, /api/status/&lt;slug&gt;: 3–60 of lowercase letters, digits and hyphens.
/// Safe in a URL path and a table key as it is, so nothing is escaped on the way.
/// </summary>
public static partial class StatusPageSlug
{
    public const int MinLength = 3;
    public const int MaxLength = 60;

    public static bool IsValid(string? slug) => slug is not null && Pattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9-]{3,60}$")]
    private static partial Regex Pattern();
}
