using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// The second half of the double opt-in: /api/confirm/&lt;token&gt;. Previewing reads only (mail
/// scanners follow links); confirming claims the token with an If-Match write before anything
/// happens, so of two racing requests one wins, and gives the claim back when the work fails,
/// so a refused or failed confirmation changes nothing.
/// </summary>
public sealed class Confirmations(ConfirmationLinks links, ConfirmationStore store, AccountStore accounts, TimeProvider time)
{
    public async Task<ConfirmationPreview> PreviewAsync(string token, CancellationToken cancellationToken)
    {
        var confirmation = await links.UsableAsync(token, cancellationToken).ConfigureAwait(false);
        var profile = await SubjectAsync(confirmation, cancellationToken).ConfigureAwait(false);
        return confirmation.Kind == ConfirmationKind.Account
            ? new ConfirmationPreview(ConfirmationKind.Account, $"Activate the account for {profile.Email} and show its API key.")
            : new ConfirmationPreview(ConfirmationKind.Recovery, $"Create a new API key for {profile.Email}. Existing keys keep working.");
    }

    public async Task<AccountConfirmed> ConfirmAsync(string token, CancellationToken cancellationToken)
    {
        var confirmation = await links.UsableAsync(token, cancellationToken).ConfigureAwait(false);
        await SubjectAsync(confirmation, cancellationToken).ConfigureAwait(false);
        var claimed = await store.ClaimAsync(confirmation, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) ?? throw Refusal.Gone();
        try
        {
            return await PerformAsync(claimed, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.ReleaseAsync(claimed, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The account the confirmation is about, if it is still in the state the link was made for; else 410.</summary>
    private async Task<AccountProfile> SubjectAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        var expected = confirmation.Kind == ConfirmationKind.Account ? AccountStatus.Pending : AccountStatus.Active;
        var profile = await accounts.GetProfileAsync(confirmation.AccountId, cancellationToken).ConfigureAwait(false);
        return profile is not null && profile.Status == expected ? profile : throw Refusal.Gone();
    }

    private async Task<AccountConfirmed> PerformAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        var profile = await SubjectAsync(confirmation, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var (text, key) = ApiKey.Generate(profile.Id);
        if (confirmation.Kind == ConfirmationKind.Recovery)
        {
            await accounts.AddKeyAsync(new KeyRecord(key.KeyId, profile.Id, key.Hash, false, "recovered key", now), cancellationToken).ConfigureAwait(false);
            return new AccountConfirmed(profile.Id, text);
        }

        // The sign-up address becomes the first verified email channel, under the id the
        // channel routes derive for it, so adding it again later finds the same row.
        var channelId = Ids.Derived(Ids.Channel, profile.Id, "email", profile.Email);
        var first = new KeyRecord(key.KeyId, profile.Id, key.Hash, false, "first key", now);
        return await accounts.ActivateAsync(profile, channelId, first, now, cancellationToken).ConfigureAwait(false)
            ? new AccountConfirmed(profile.Id, text)
            : throw Refusal.Busy("the account is being changed by another request; try again");
    }
}
