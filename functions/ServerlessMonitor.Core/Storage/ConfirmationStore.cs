using Azure;
using Azure.Data.Tables;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Outstanding confirmations, in table <c>confirmations</c>: PartitionKey = confirmation id,
/// RowKey "". Using one is an If-Match write of UsedAt, so of two requests racing with the same
/// token exactly one wins. ExpiresAt tells the retention timer when a row is of no more use
/// (<see cref="DeleteExpiredAsync"/>).
/// </summary>
public sealed class ConfirmationStore(StorageClients clients)
{
    private TableClient Table => clients.Table(StorageNames.Confirmations);

    public async Task AddAsync(Confirmation confirmation, CancellationToken cancellationToken) =>
        await Table.AddEntityAsync(Entity(confirmation), cancellationToken).ConfigureAwait(false);

    public async Task<Confirmation?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(id, string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is not { } e || !Enum.TryParse<ConfirmationKind>(e.GetString("Kind"), out var kind))
        {
            return null;
        }

        return new Confirmation(id, kind, e.GetString("AccountId"), e.GetDateTimeOffset("CreatedAt") ?? default, e.GetDateTimeOffset("ExpiresAt") ?? default, e.GetDateTimeOffset("UsedAt"), e.ETag)
        {
            SubjectId = e.GetString("SubjectId"),
            EmailHash = e.GetString("EmailHash"),
        };
    }

    /// <summary>Marks an unused confirmation used: the claimed record (its new ETag lets the claim be released), or null when another request used it first.</summary>
    public async Task<Confirmation?> ClaimAsync(Confirmation confirmation, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            var claimed = confirmation with { UsedAt = at };
            var response = await Table.UpdateEntityAsync(Entity(claimed), confirmation.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return claimed with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.IsStale() || e.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>Gives a claim back when what it confirms could not be done now; a retry may then succeed.</summary>
    public async Task ReleaseAsync(Confirmation claimed, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(Entity(claimed with { UsedAt = null }), claimed.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.IsStale() || e.IsNotFound())
        {
            // Changed or gone meanwhile: nothing of ours to give back.
        }
    }

    /// <summary>
    /// Retention: deletes at most <paramref name="max"/> confirmations whose links expired before
    /// <paramref name="now"/> (used or not: an expired link answers 410 either way, from its
    /// signature alone); answers how many it found. A row changed meanwhile is left for the next run.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var expired = await TableBatches.KeysAsync(Table, TableClient.CreateQueryFilter($"ExpiresAt lt {now}"), max, cancellationToken).ConfigureAwait(false);
        await TableBatches.DeleteEachIfUnchangedAsync(Table, expired, cancellationToken).ConfigureAwait(false);
        return expired.Count;
    }

    private static TableEntity Entity(Confirmation c) => new(c.Id, string.Empty)
    {
        ["Kind"] = c.Kind.ToString(),
        ["AccountId"] = c.AccountId,
        ["CreatedAt"] = c.CreatedAt,
        ["ExpiresAt"] = c.ExpiresAt,
        ["UsedAt"] = c.UsedAt,
        ["SubjectId"] = c.SubjectId,
        ["EmailHash"] = c.EmailHash,
    };
}
