using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>Makes confirmations: the stored row and the signed link that names it.</summary>
public sealed class ConfirmationLinks(MonitorConfig config, ConfirmationStore store, TimeProvider time)
{
    /// <summary>How long a link works (BEHAVIOUR.md).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(48);

    private readonly ConfirmationTokens? tokens = config.TokenSecret is { } secret ? new ConfirmationTokens(secret) : null;

    /// <summary>The signer; 503 not_configured without SM_TOKEN_SECRET (the local runtime always has one).</summary>
    private ConfirmationTokens Tokens => tokens ?? throw NotConfigured();

    /// <summary>Refuses up front, before anything is stored, when links cannot be made.</summary>
    public void ThrowUnlessConfigured()
    {
        if (tokens is null)
        {
            throw NotConfigured();
        }
    }

    public Task<(Confirmation Confirmation, string Link)> CreateAsync(ConfirmationKind kind, string accountId, CancellationToken cancellationToken) =>
        CreateAsync(kind, accountId, null, null, cancellationToken);

    /// <param name="subjectId">The channel, or the monitor of an invitation.</param>
    /// <param name="emailHash">An invitation's address (SHA-256).</param>
    public async Task<(Confirmation Confirmation, string Link)> CreateAsync(ConfirmationKind kind, string accountId, string? subjectId, string? emailHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        // Whole seconds, as the token carries them, so row and token agree exactly.
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + Lifetime).ToUnixTimeSeconds());
        var confirmation = new Confirmation(Ids.New(Ids.Confirmation), kind, accountId, now, expiresAt, null, default) { SubjectId = subjectId, EmailHash = emailHash };
        var token = Tokens.Sign(confirmation.Id, expiresAt);
        await store.AddAsync(confirmation, cancellationToken).ConfigureAwait(false);
        return (confirmation, $"{config.PublicBase}/api/confirm/{token}");
    }

    /// <summary>The stored confirmation a token names, if the token is genuine, unexpired and unused; else 410.</summary>
    public async Task<Confirmation> UsableAsync(string token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = Tokens.Verify(token, now) ?? throw Refusal.Gone();
        var confirmation = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return confirmation is { UsedAt: null } && confirmation.ExpiresAt > now ? confirmation : throw Refusal.Gone();
    }

    private static Refusal NotConfigured() =>
        new(RefusalKind.Unavailable, "not_configured", "confirmations are unavailable: SM_TOKEN_SECRET is not set");
}
