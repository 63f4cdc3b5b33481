namespace ServerlessMonitor.Functions.StatusPages;

/// <summary>A new status page (strict: unknown fields are refused). Core's StatusPageInput reads it; this record describes it.</summary>
/// <param name="Slug">Required. The page's address, /api/status/&lt;slug&gt;: 3–60 lowercase letters, digits and hyphens, unique across the deployment.</param>
/// <param name="Title">Required. 1–100 characters of one line.</param>
/// <param name="Monitors">Required. 1–100 of the caller's public monitors, in the order shown.</param>
public sealed record StatusPageCreateRequest(string Slug, string Title, IReadOnlyList<StatusPageMonitorRequest> Monitors);

/// <summary>A change to a status page: absent fields keep their values; the slug cannot change.</summary>
/// <param name="Title">1–100 characters of one line.</param>
/// <param name="Monitors">1–100 of the caller's public monitors, replacing the list.</param>
public sealed record StatusPagePatchRequest(string? Title, IReadOnlyList<StatusPageMonitorRequest>? Monitors);

/// <summary>A monitor on a page.</summary>
/// <param name="Id">Required. One of the caller's monitors with public: true.</param>
/// <param name="DisplayName">1–100 characters shown instead of the monitor's name and target (which then stay hidden).</param>
public sealed record StatusPageMonitorRequest(string Id, string? DisplayName);
