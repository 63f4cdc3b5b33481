using System.Text.Json;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.StatusPages;

/// <summary>
/// The owner's side of status pages (API.md, "Uptime, status pages, feeds and badges"): create,
/// read, change and delete. A page may list only its owner's public monitors; anything else is
/// refused before something is stored. Pages are public, so their existence is no secret: a
/// page of another account is a 403, not a 404.
/// </summary>
public sealed class StatusPageEditor(StatusPageStore store, MonitorStore monitors, StatusPageCache cache, TimeProvider time)
{
    public async Task<StatusPage> CreateAsync(Caller caller, JsonElement body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var input = StatusPageInput.ParseCreate(body);
        await CheckMonitorsAsync(caller, input.Monitors!, cancellationToken).ConfigureAwait(false);
        if ((await store.ListSlugsByOwnerAsync(caller.AccountId, cancellationToken).ConfigureAwait(false)).Count >= StatusPageLimits.MaxPagesPerAccount)
        {
            throw new Refusal(RefusalKind.Conflict, "too_many_status_pages", $"an account may have at most {StatusPageLimits.MaxPagesPerAccount} status pages");
        }

        if (await store.GetAsync(input.Slug!, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw SlugTaken();
        }

        var now = time.GetUtcNow();
        var page = new StatusPage(input.Slug!, caller.AccountId, input.Title!, input.Monitors!, now, now);
        return await store.CreateAsync(page, cancellationToken).ConfigureAwait(false)
            ? (await store.GetAsync(page.Slug, cancellationToken).ConfigureAwait(false))!
            : throw SlugTaken();
    }

    /// <summary>The page if the caller owns it: 404 when there is none, 403 when it is another account's.</summary>
    public async Task<StatusPage> OwnedAsync(Caller caller, string slug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var page = await store.GetAsync(slug, cancellationToken).ConfigureAwait(false) ?? throw Refusal.NotFound("status page");
        return page.OwnerId == caller.AccountId
            ? page
            : throw new Refusal(RefusalKind.Forbidden, "forbidden", "only the owner of a status page can read or change it through the API");
    }

    public async Task<StatusPage> UpdateAsync(Caller caller, string slug, JsonElement body, CancellationToken cancellationToken)
    {
        var current = await OwnedAsync(caller, slug, cancellationToken).ConfigureAwait(false);
        var input = StatusPageInput.ParsePatch(body);
        if (input.Monitors is { } chosen)
        {
            await CheckMonitorsAsync(caller, chosen, cancellationToken).ConfigureAwait(false);
        }

        var updated = current with
        {
            Title = input.Title ?? current.Title,
            Monitors = input.Monitors ?? current.Monitors,
            UpdatedAt = time.GetUtcNow(),
        };
        if (!await store.UpdateAsync(current, updated, cancellationToken).ConfigureAwait(false))
        {
            throw Refusal.Busy("the status page changed while this request was handled; send it again");
        }

        cache.Forget(slug);
        return (await store.GetAsync(slug, cancellationToken).ConfigureAwait(false)) ?? throw Refusal.NotFound("status page");
    }

    public async Task DeleteAsync(Caller caller, string slug, CancellationToken cancellationToken)
    {
        var page = await OwnedAsync(caller, slug, cancellationToken).ConfigureAwait(false);
        await store.DeleteAsync(page, cancellationToken).ConfigureAwait(false);
        cache.Forget(slug);
    }

    /// <summary>Every chosen monitor must be the caller's and public; the first one that is not is refused by its path.</summary>
    private async Task CheckMonitorsAsync(Caller caller, IReadOnlyList<StatusPageMonitor> chosen, CancellationToken cancellationToken)
    {
        var found = (await monitors.GetManyAsync([.. chosen.Select(m => m.Id)], cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Id, StringComparer.Ordinal);
        for (var i = 0; i < chosen.Count; i++)
        {
            if (!found.TryGetValue(chosen[i].Id, out var monitor) || monitor.OwnerId != caller.AccountId)
            {
                throw Refusal.Invalid("no such monitor of yours", $"monitors.{i}.id");
            }

            if (!monitor.Definition.Public)
            {
                throw Refusal.Invalid("the monitor is not public: set \"public\": true on it first", $"monitors.{i}.id");
            }
        }
    }

    private static Refusal SlugTaken() => new(RefusalKind.Conflict, "slug_taken", "this slug is taken; choose another", "slug");
}
