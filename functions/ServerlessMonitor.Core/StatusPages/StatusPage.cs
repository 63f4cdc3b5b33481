using Azure;

namespace ServerlessMonitor.Core.StatusPages;

/// <summary>
/// A public status page as its owner configured it: a slug unique across the deployment, a
/// title and the monitors shown, in the owner's order. Which of them actually appear is decided
/// when the page is read (<see cref="StatusPageReader"/>): only those still the owner's and public.
/// </summary>
public sealed record StatusPage(
    string Slug,
    string OwnerId,
    string Title,
    IReadOnlyList<StatusPageMonitor> Monitors,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The row's version when read: changes are written under it.</summary>
    public ETag ETag { get; init; }
}
