using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Accounts.Receivers;
using ServerlessMonitor.Core.Storage;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// The second half of every double opt-in: /api/confirm/&lt;token&gt;. Previewing reads only (mail
/// scanners follow links); confirming claims the token with an If-Match write before anything
/// happens, so of two racing requests one wins. A subject that moved on (account no longer
/// pending, channel deleted, invitation withdrawn) is a 410 and spends the token; any other
/// failure (an invitation whose address has no account yet) gives the claim back, so it changes
/// nothing and a retry may succeed.
/// </summary>
public sealed class Confirmations(ConfirmationLinks links, ConfirmationStore store, AccountStore accounts, AccountChannels channels, Invitations invitations, TimeProvider time)
{
    public async Task<ConfirmationPreview> PreviewAsync(string token, CancellationToken cancellationToken)
    {
        var confirmation = await links.UsableAsync(token, cancellationToken).ConfigureAwait(false);
        return await DescribeAsync(confirmation, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Confirmed> ConfirmAsync(string token, CancellationToken cancellationToken)
    {
        var confirmation = await links.UsableAsync(token, cancellationToken).ConfigureAwait(false);
        await DescribeAsync(confirmation, cancellationToken).ConfigureAwait(false);
        var claimed = await store.ClaimAsync(confirmation, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) ?? throw Refusal.Gone();
        try
        {
            return await PerformAsync(claimed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not Refusal { Kind: RefusalKind.Gone })
        {
            await store.ReleaseAsync(claimed, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What the confirmation would do, if its subject is still as the link found it; else 410.</summary>
    private async Task<ConfirmationPreview> DescribeAsync(Confirmation confirmation, CancellationToken cancellationToken) => confirmation.Kind switch
    {
        ConfirmationKind.Account => new(ConfirmationKind.Account, $"Activate the account for {(await ProfileAsync(confirmation, cancellationToken).ConfigureAwait(false)).Email} and show its API key."),
        ConfirmationKind.Recovery => new(ConfirmationKind.Recovery, $"Create a new API key for {(await ProfileAsync(confirmation, cancellationToken).ConfigureAwait(false)).Email}. Existing keys keep working."),
        ConfirmationKind.Channel => new(ConfirmationKind.Channel, await channels.DescribeAsync(confirmation, cancellationToken).ConfigureAwait(false)),
        ConfirmationKind.Receiver => new(ConfirmationKind.Receiver, await invitations.DescribeAsync(confirmation, cancellationToken).ConfigureAwait(false)),
        _ => throw Refusal.Gone(),
    };

    private async Task<Confirmed> PerformAsync(Confirmation confirmation, CancellationToken cancellationToken) => confirmation.Kind switch
    {
        ConfirmationKind.Account or ConfirmationKind.Recovery => await KeyAsync(confirmation, cancellationToken).ConfigureAwait(false),
        ConfirmationKind.Channel => new ChannelVerified(await channels.VerifyAsync(confirmation, cancellationToken).ConfigureAwait(false)),
        ConfirmationKind.Receiver => await invitations.AcceptAsync(confirmation, cancellationToken).ConfigureAwait(false),
        _ => throw Refusal.Gone(),
    };

    /// <summary>The account a sign-up or recovery link is about, if it is still in the state the link was made for; else 410.</summary>
    private async Task<AccountProfile> ProfileAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        var expected = confirmation.Kind == ConfirmationKind.Account ? AccountStatus.Pending : AccountStatus.Active;
        var profile = await accounts.GetProfileAsync(confirmation.AccountId, cancellationToken).ConfigureAwait(false);
        return profile is not null && profile.Status == expected ? profile : throw Refusal.Gone();
    }

    private async Task<AccountConfirmed> KeyAsync(Confirmation confirmation, CancellationToken cancellationToken)
    {
        var profile = await ProfileAsync(confirmation, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var (text, key) = ApiKey.Generate(profile.Id);
        if (confirmation.Kind == ConfirmationKind.Recovery)
        {
            await accounts.AddKeyAsync(new KeyRecord(key.KeyId, profile.Id, key.Hash, false, "recovered key", now), cancellationToken).ConfigureAwait(false);
            return new AccountConfirmed(profile.Id, text);
        }

        // The sign-up address becomes the first verified email channel, under the id the
        // channel routes derive for it, so adding it again later finds the same row.
        var channelId = AccountChannels.IdFor(profile.Id, Alerts.ChannelKind.Email, profile.Email);
        var first = new KeyRecord(key.KeyId, profile.Id, key.Hash, false, "first key", now);
        return await accounts.ActivateAsync(profile, channelId, first, now, cancellationToken).ConfigureAwait(false)
            ? new AccountConfirmed(profile.Id, text)
            : throw Refusal.Busy("the account is being changed by another request; try again");
    }
}
