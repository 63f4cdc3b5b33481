using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// API keys: who is calling, and the keys an account has. A key names its account and record,
/// so authenticating costs one point read; the stored hash is compared in constant time.
/// </summary>
public sealed class Keys(AccountStore accounts, TimeProvider time)
{
    public const int PerAccount = 50;

    /// <summary>The caller behind a key; null for a malformed, unknown, revoked or altered key.</summary>
    public async Task<Caller?> AuthenticateAsync(string keyText, CancellationToken cancellationToken)
    {
        if (ApiKey.Parse(keyText) is not { } key)
        {
            return null;
        }

        var record = await accounts.GetKeyAsync(key.AccountId, key.KeyId, cancellationToken).ConfigureAwait(false);
        return record is not null && key.Matches(record.Hash) ? new Caller(record.AccountId, record.Id, record.ReadOnly) : null;
    }

    /// <summary>A new key, its text shown this once; 409 too_many_keys past <see cref="PerAccount"/>.</summary>
    public async Task<(KeyRecord Record, string Text)> CreateAsync(string accountId, bool readOnly, string? label, CancellationToken cancellationToken)
    {
        if ((await accounts.ListKeysAsync(accountId, cancellationToken).ConfigureAwait(false)).Count >= PerAccount)
        {
            throw new Refusal(RefusalKind.Conflict, "too_many_keys", $"an account has at most {PerAccount} API keys; delete one first");
        }

        var (text, key) = ApiKey.Generate(accountId);
        var record = new KeyRecord(key.KeyId, accountId, key.Hash, readOnly, label, time.GetUtcNow());
        await accounts.AddKeyAsync(record, cancellationToken).ConfigureAwait(false);
        return (record, text);
    }

    /// <summary>Oldest first.</summary>
    public async Task<IReadOnlyList<KeyRecord>> ListAsync(string accountId, CancellationToken cancellationToken) =>
        [.. (await accounts.ListKeysAsync(accountId, cancellationToken).ConfigureAwait(false)).OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)];

    /// <summary>Revokes a key of the account at once (the calling key included); 404 for anyone else's.</summary>
    public async Task DeleteAsync(string accountId, string keyId, CancellationToken cancellationToken)
    {
        if (!await accounts.DeleteKeyAsync(accountId, keyId, cancellationToken).ConfigureAwait(false))
        {
            throw Refusal.NotFound("API key");
        }
    }
}
