using System.Text.Json;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Core.StatusPages;

/// <summary>
/// A create or patch body of a status page, read strictly: the first problem is a validation
/// refusal naming its field (<c>monitors.2.displayName</c>). Whether the monitors may be shown
/// needs storage and is <see cref="StatusPageEditor"/>'s.
/// </summary>
public static class StatusPageInput
{
    /// <summary>The fields of a body (the API's request records declare the same).</summary>
    public static IReadOnlyList<string> Fields { get; } = ["slug", "title", "monitors"];

    private static readonly string[] MonitorFields = ["id", "displayName"];

    public sealed record Parsed(string? Slug, string? Title, IReadOnlyList<StatusPageMonitor>? Monitors);

    /// <summary>A new page: slug, title and at least one monitor are required.</summary>
    public static Parsed ParseCreate(JsonElement body)
    {
        var f = JsonFields.Of(body, null).Strict(Fields);
        return new Parsed(Slug(f.String("slug", required: true)!), Title(f, required: true), Monitors(f, required: true));
    }

    /// <summary>A change: title and monitors when present; the slug is the page's address and does not change.</summary>
    public static Parsed ParsePatch(JsonElement body)
    {
        var f = JsonFields.Of(body, null).Strict(Fields);
        if (f.Has("slug"))
        {
            throw Refusal.Invalid("the slug is the page's address and cannot be changed; create a new page instead", "slug");
        }

        return new Parsed(null, f.Has("title") ? Title(f, required: true) : null, f.Has("monitors") ? Monitors(f, required: true) : null);
    }

    private static string Slug(string slug) =>
        StatusPageSlug.IsValid(slug)
            ? slug
            : throw Refusal.Invalid($"must be {StatusPageSlug.MinLength} to {StatusPageSlug.MaxLength} lowercase letters, digits and hyphens", "slug");

    private static string Title(JsonFields f, bool required)
    {
        var (value, problem) = PlainText.Check(f.String("title", required)!, StatusPageLimits.MaxTitleLength, "title");
        return value ?? throw Refusal.Invalid(problem!, "title");
    }

    private static IReadOnlyList<StatusPageMonitor> Monitors(JsonFields f, bool required)
    {
        f.Value("monitors", required);
        var monitors = f.Array("monitors", 1, StatusPageLimits.MaxMonitors, Monitor)!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < monitors.Count; i++)
        {
            if (!seen.Add(monitors[i].Id))
            {
                throw Refusal.Invalid("this monitor is on the page already", $"monitors.{i}.id");
            }
        }

        return monitors;
    }

    private static StatusPageMonitor Monitor(JsonElement element, string at)
    {
        var m = JsonFields.Of(element, at).Strict(MonitorFields);
        var id = m.String("id", required: true)!;
        if (!Ids.Is(id, Ids.Monitor))
        {
            throw Refusal.Invalid("not a monitor id", m.PathOf("id"));
        }

        string? displayName = null;
        if (m.String("displayName") is { } name)
        {
            var (value, problem) = PlainText.Check(name, StatusPageLimits.MaxDisplayNameLength, "display name");
            displayName = value ?? throw Refusal.Invalid(problem!, m.PathOf("displayName"));
        }

        return new StatusPageMonitor(id, displayName);
    }
}
